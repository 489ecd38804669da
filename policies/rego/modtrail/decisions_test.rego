package modtrail_test

import data.modtrail

allowlist := ["golang.org/x", "github.com/acme-corp", "*.corp.example.com"]

fetch(action, module_path) := {
	"event": {"action": action},
	"package": {"name": module_path, "type": "golang"},
}

nothing := {"ids": [], "names": [], "severity": 1, "risk_score": 0, "alert": false}

not_allowlisted := {
	"ids": ["module.not_allowlisted"],
	"names": ["Module outside the allowlist"],
	"severity": 3,
	"risk_score": 47,
	"alert": true,
}

test_allowlisted_fetches_match_nothing if {
	records := [
		fetch("module.info", "golang.org/x/text"),
		fetch("module.zip", "git.corp.example.com/team/svc"),
		fetch("sumdb.lookup", "github.com/acme-corp/billing"),
	]
	modtrail.decisions == [nothing, nothing, nothing] with input.records as records
		with data.allowed_modules as allowlist
}

test_every_fetch_action_outside_the_allowlist_alerts if {
	every action in ["module.info", "module.mod", "module.zip", "sumdb.lookup"] {
		modtrail.decisions == [not_allowlisted] with input.records as [fetch(action, "github.com/evil/x")]
			with data.allowed_modules as allowlist
	}
}

test_decisions_are_aligned_with_records if {
	records := [
		fetch("module.zip", "github.com/evil/x"),
		fetch("module.zip", "golang.org/x/text"),
		fetch("module.mod", "github.com/acmecorp/x"),
	]
	modtrail.decisions == [not_allowlisted, nothing, not_allowlisted] with input.records as records
		with data.allowed_modules as allowlist
}

test_a_module_repeated_in_a_batch_is_judged_for_each_record if {
	records := [
		fetch("module.zip", "github.com/evil/x"),
		fetch("module.list", "github.com/evil/x"),
		fetch("module.info", "github.com/evil/x"),
		fetch("module.zip", "golang.org/x/text"),
		fetch("module.mod", "golang.org/x/text"),
	]
	modtrail.decisions == [not_allowlisted, nothing, not_allowlisted, nothing, nothing] with input.records as records
		with data.allowed_modules as allowlist
}

test_a_record_outside_the_input_is_judged_the_same if {
	modtrail.decision(fetch("module.zip", "github.com/evil/x")) == not_allowlisted
		with input.records as [fetch("module.zip", "golang.org/x/text")]
		with data.allowed_modules as allowlist
	modtrail.decision(fetch("module.zip", "golang.org/x/text")) == nothing with input.records as []
		with data.allowed_modules as allowlist
	modtrail.decision(fetch("module.zip", "git.corp.example.com/team/svc")) == nothing
		with data.allowed_modules as allowlist
}

test_listing_versions_is_not_a_fetch if {
	modtrail.decisions == [nothing] with input.records as [fetch("module.list", "github.com/evil/x")]
		with data.allowed_modules as allowlist
}

test_records_without_a_module_path_match_nothing if {
	records := [{"event": {"action": "module.zip"}}, {"event": {"action": "goenv.changed"}}]
	modtrail.decisions == [nothing, nothing] with input.records as records
		with data.allowed_modules as allowlist
}

test_an_empty_allowlist_alerts_on_every_fetch if {
	modtrail.decisions == [not_allowlisted] with input.records as [fetch("module.info", "golang.org/x/text")]
		with data.allowed_modules as []
}

test_an_empty_batch_has_no_decisions if {
	modtrail.decisions == [] with input.records as []
}

test_the_highest_severity_wins_and_any_alert_alerts if {
	extra := {"id": "test.critical", "name": "Critical test rule", "severity": 5, "alert": false}
	d := modtrail.decision(fetch("module.zip", "github.com/evil/x")) with data.allowed_modules as allowlist
		with modtrail.rules as {extra, not_allowlisted_rule}
		with modtrail.violates as always
	d == {
		"ids": ["module.not_allowlisted", "test.critical"],
		"names": ["Module outside the allowlist", "Critical test rule"],
		"severity": 5,
		"risk_score": 99,
		"alert": true,
	}
}

not_allowlisted_rule := {"id": "module.not_allowlisted", "name": "Module outside the allowlist", "severity": 3, "alert": true}

always(_, _) := true

test_operators_can_override_a_severity if {
	d := modtrail.decision(fetch("module.zip", "github.com/evil/x")) with data.allowed_modules as allowlist
		with data.severities as {"module.not_allowlisted": 5, "action.sensitive": 1}
	d == {
		"ids": ["module.not_allowlisted"],
		"names": ["Module outside the allowlist"],
		"severity": 5,
		"risk_score": 99,
		"alert": true,
	}
}

test_a_severity_outside_one_to_five_is_ignored if {
	every severity in [0, 6, 2.5, "5", null] {
		d := modtrail.decision(fetch("module.zip", "github.com/evil/x")) with data.allowed_modules as allowlist
			with data.severities as {"module.not_allowlisted": severity}
		d == not_allowlisted
	}
}

test_every_rule_is_well_formed if {
	ids := [r.id | some r in modtrail.rules]
	count(ids) == count({id | some id in ids})
	every r in modtrail.rules {
		regex.match(`^[a-z]+\.[a-z_]+$`, r.id)
		is_string(r.name)
		r.severity in {1, 2, 3, 4, 5}
		is_boolean(r.alert)
		is_set(r.actions)
		every action in r.actions {
			regex.match(`^[a-z]+\.[a-z_]+$`, action)
		}
	}
}

test_a_rule_meets_only_records_of_the_actions_it_judges if {
	scoped := {"id": "test.scoped", "name": "Scoped", "severity": 2, "alert": false, "actions": {"module.zip"}}
	by_area := {"id": "test.area", "name": "Area", "severity": 2, "alert": false, "areas": {"sumdb"}}
	everywhere := {"id": "test.everywhere", "name": "Everywhere", "severity": 2, "alert": false}
	records := [fetch("module.zip", "x"), fetch("sumdb.lookup", "x"), fetch("goenv.changed", "x")]
	ids := [d.ids | some d in modtrail.decisions] with input.records as records
		with modtrail.rules as {scoped, by_area, everywhere}
		with modtrail.violates as always
	ids == [["test.everywhere", "test.scoped"], ["test.area", "test.everywhere"], ["test.everywhere"]]
	modtrail.decision(fetch("sumdb.tile", "x")).ids == ["test.area", "test.everywhere"] with modtrail.rules as {scoped, by_area, everywhere}
		with modtrail.violates as always
}
