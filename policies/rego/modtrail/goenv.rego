package modtrail

# Go settings on developer machines, from change records (goenv.changed, goenv.unset: goenv.name and
# goenv.value) and snapshots (goenv.snapshot: goenv.settings). How each value is judged: goenv_values.rego.

rules contains {
	"id": "goenv.goproxy_unapproved",
	"name": "GOPROXY lists an unapproved proxy",
	"severity": 4,
	"alert": true,
	"actions": goenv_actions,
}

rules contains {
	"id": "goenv.gosumdb_disabled",
	"name": "Checksum database off or unapproved",
	"severity": 4,
	"alert": true,
	"actions": goenv_actions,
}

rules contains {
	"id": "goenv.insecure",
	"name": "Insecure module fetching allowed",
	"severity": 4,
	"alert": true,
	"actions": goenv_actions,
}

rules contains {
	"id": "goenv.private_too_broad",
	"name": "Private-module pattern covers public hosts",
	"severity": 3,
	"alert": true,
	"actions": goenv_actions,
}

violates("goenv.goproxy_unapproved", record) if setting_rule_broken("goenv.goproxy_unapproved", record)

violates("goenv.gosumdb_disabled", record) if setting_rule_broken("goenv.gosumdb_disabled", record)

violates("goenv.insecure", record) if setting_rule_broken("goenv.insecure", record)

violates("goenv.private_too_broad", record) if setting_rule_broken("goenv.private_too_broad", record)

goenv_change_actions := {"goenv.changed", "goenv.unset"}

goenv_actions := goenv_change_actions | {"goenv.snapshot"}

# Each judged setting belongs to one rule.
rule_by_setting := {
	"GOPROXY": "goenv.goproxy_unapproved",
	"GOSUMDB": "goenv.gosumdb_disabled",
	"GOINSECURE": "goenv.insecure",
	"GOFLAGS": "goenv.insecure",
	"GOPRIVATE": "goenv.private_too_broad",
	"GONOSUMDB": "goenv.private_too_broad",
	"GONOPROXY": "goenv.private_too_broad",
}

settings_by_rule := {id: [name | some name, rule in rule_by_setting; rule == id] | some id in rule_by_setting}

private_pattern_settings := {"GOPRIVATE", "GONOSUMDB", "GONOPROXY"}

# A change record reports one setting: only that setting's rule is worth a look.
setting_rule_broken(id, record) if {
	goenv_change_actions[record.event.action]
	name := record.goenv.name
	rule_by_setting[name] == id
	flagged_setting(name, changed_value(record))
}

setting_rule_broken(id, record) if {
	record.event.action == "goenv.snapshot"
	some name in settings_by_rule[id]
	flagged_setting(name, snapshot_value(record.goenv, name))
}

# "" when the setting is unset (or set to ""), which the go command reads as its default.
changed_value(record) := "" if {
	record.event.action == "goenv.unset"
} else := object.get(record.goenv, "value", "")

snapshot_value(goenv, name) := goenv.settings[name]

# A snapshot of what a user's go command sees (scope user) lists every setting that is set: one it lacks is unset.
# A snapshot of one scope alone (the machine environment, the go env file) does not say: the setting may be set in
# another scope, so it is not judged.
snapshot_value(goenv, name) := "" if {
	not partial_snapshot_scopes[object.get(goenv, "scope", "user")]
	not goenv.settings[name]
}

partial_snapshot_scopes := {"machine", "goenv_file"}

# A fleet reports the same few values again and again: each (setting, value) in the input is judged once per
# evaluation.
input_settings := {setting |
	some record in input.records
	goenv_actions[record.event.action]
	some setting in reported_settings(record)
}

reported_settings(record) := {[name, changed_value(record)]} if {
	goenv_change_actions[record.event.action]
	name := record.goenv.name
	rule_by_setting[name]
}

reported_settings(record) := {[name, value] |
	some name, _ in rule_by_setting
	value := snapshot_value(record.goenv, name)
} if record.event.action == "goenv.snapshot"

flagged_input_settings := {setting | some setting in input_settings; setting_flagged(setting[0], setting[1])}

flagged_setting(name, value) if flagged_input_settings[[name, value]]

# A record that is not part of the input (a caller of decision/1 or violates/2) is judged directly.
flagged_setting(name, value) if {
	not input_settings[[name, value]]
	setting_flagged(name, value)
}
