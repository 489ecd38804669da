package modtrail

# Every rule adds one object to `rules` (id, name, severity 1..5, alert) and a `violates(id, record)` body.

# Severity to ECS risk score, after the Elastic detection-rule defaults (low 21, medium 47, high 73, critical 99).
risk_by_severity := {1: 0, 2: 21, 3: 47, 4: 73, 5: 99}

rule_by_id := {r.id: r | some r in rules}

# The entrypoint: one decision per input record, aligned by index. Each input record is the record's policy view
# (src/evaluate/opa/policy-view.ts): without event.id/ingested/original, ecs, modtrail.origin, url.original,
# user_agent, trace and message.
decisions := [decision(record) | some record in input.records]

decision(record) := verdict(ids) if {
	ids := sort([r.id | some r in rules; violates(r.id, record)])
}

# Almost every record matches no rule or one: those verdicts are built once per evaluation, not once per record.
verdict(ids) := no_match if count(ids) == 0

verdict(ids) := single_rule_verdicts[ids[0]] if count(ids) == 1

verdict(ids) := verdict_of(ids) if count(ids) > 1

no_match := verdict_of([])

single_rule_verdicts := {id: verdict_of([id]) | some id, _ in rule_by_id}

verdict_of(ids) := {
	"ids": ids,
	"names": [rule_by_id[id].name | some id in ids],
	"severity": severity,
	"risk_score": risk_by_severity[severity],
	"alert": count(alerting) > 0,
} if {
	severity := max({1} | {rule_by_id[id].severity | some id in ids})
	alerting := {id | some id in ids; rule_by_id[id].alert}
}
