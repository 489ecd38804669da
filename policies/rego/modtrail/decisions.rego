package modtrail

# Every rule adds one object to `rules` (id, name, severity 1..5, alert, and the actions it judges) and one
# `violates(id, record)` body. `actions` (a set of event.action values) and `areas` (a set of the parts
# before the first dot, e.g. "artifactory" for every artifactory.* action) say which records a rule can match:
# `violates` is called only for those. A rule that names neither judges every record, which costs a call per
# record.

# Severity to ECS risk score, after the Elastic detection-rule defaults (low 21, medium 47, high 73, critical 99).
risk_by_severity := {1: 0, 2: 21, 3: 47, 4: 73, 5: 99}

# Each rule as it judges: with the operator's severity when data.severities names the rule.
rule_by_id := {r.id: with_operator_severity(r) | some r in rules}

severity_levels := {1, 2, 3, 4, 5}

# The data is validated when loaded; a severity outside 1..5 is ignored here all the same.
with_operator_severity(r) := object.union(r, {"severity": severity}) if {
	severity := data.severities[r.id]
	severity_levels[severity]
} else := r

# The entrypoint: one decision per input record, aligned by index. Each input record is the record's policy view
# (src/evaluate/opa/policy-view.ts): without event.id/ingested/original, ecs, modtrail.origin, url.original,
# user_agent, trace and message.
decisions := [decision(record) | some record in input.records]

decision(record) := verdict(ids) if {
	ids := sort([id | some id in rule_ids_judging(record.event.action); violates(id, record)])
}

# Every call of violates tries each rule's body in turn, so a record meets only the rules that judge its action:
# listed once per evaluation for each action in the input.
input_actions := {record.event.action | some record in input.records}

rule_ids_by_action := {action: ids_judging(action) | some action in input_actions}

rule_ids_judging(action) := rule_ids_by_action[action] if rule_ids_by_action[action]

# A record that is not part of the input (a caller of decision/1) is looked up directly.
rule_ids_judging(action) := ids_judging(action) if not input_actions[action]

ids_judging(action) := [r.id | some r in rules; judges(r, action)]

judges(r, action) if r.actions[action]

judges(r, action) if r.areas[split(action, ".")[0]]

judges(r, _) if {
	not r.actions
	not r.areas
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
