package modtrail

# Every rule adds one object to `rules` (id, name, severity 1..5, alert) and a `violates(id, record)` body.

# Severity to ECS risk score, after the Elastic detection-rule defaults (low 21, medium 47, high 73, critical 99).
risk_by_severity := {1: 0, 2: 21, 3: 47, 4: 73, 5: 99}

rule_by_id := {r.id: r | some r in rules}

# The entrypoint: one decision per input record, aligned by index.
decisions := [decision(record) | some record in input.records]

decision(record) := {
	"ids": ids,
	"names": [rule_by_id[id].name | some id in ids],
	"severity": severity,
	"risk_score": risk_by_severity[severity],
	"alert": count(alerting) > 0,
} if {
	matched := {r | some r in rules; violates(r.id, record)}
	ids := sort([r.id | some r in matched])
	severity := max({1} | {r.severity | some r in matched})
	alerting := {r.id | some r in matched; r.alert}
}
