package modtrail_test

unmanaged := ["goenv.unmanaged_change"]

# An approved GOPROXY value, so only how it was changed is judged.
made_by(mechanism, managed_by, host) := {
	"event": {"action": "goenv.changed", "outcome": "success"},
	"host": {"name": host},
	"goenv": {"name": "GOPROXY", "value": "https://goproxy.corp.example.com", "scope": "user", "mechanism": mechanism, "managed_by": managed_by},
}

# The agent left managed_by out: it does not know what manages the machine.
made_on(mechanism, host) := json.remove(made_by(mechanism, "", host), ["goenv/managed_by"])

test_a_change_by_hand_on_a_managed_machine_is_unmanaged if {
	ids_for([
		made_by("manual", "gpo", "LT-MCHEN"),
		made_by("go_env_w", "ansible", "lt-mchen"),
		made_by("manual", "sccm", "LT-MCHEN"),
		made_by("go_env_w", "powershell", "LT-MCHEN"),
	]) == [unmanaged, unmanaged, unmanaged, unmanaged]
}

test_managed_hosts_make_a_machine_managed_case_insensitively if {
	ids_for([
		made_on("manual", "DEV-WS-0142"),
		made_on("go_env_w", "dev-ws-0877"),
		made_on("manual", "agent-7.build.corp.example.com"),
		made_on("manual", "a.b.build.corp.example.com"),
	]) == [unmanaged, unmanaged, unmanaged, unmanaged]
}

test_a_change_by_hand_on_an_unmanaged_machine_is_fine if {
	ids_for([
		made_on("manual", "LT-MCHEN"),
		made_on("go_env_w", "build.corp.example.com"),
		made_on("manual", "XDEV-WS-0142"),
	]) == [[], [], []]
}

test_a_change_by_the_managing_mechanism_is_fine if {
	ids_for([
		made_by("gpo", "gpo", "DEV-WS-0142"),
		made_by("sccm", "sccm", "LT-MCHEN"),
		made_by("ansible", "ansible", "LT-MCHEN"),
		made_on("gpo", "DEV-WS-0142"),
	]) == [[], [], [], []]
}

test_a_change_by_another_management_tool_is_unmanaged if {
	ids_for([made_by("powershell", "gpo", "DEV-WS-0142"), made_by("ansible", "sccm", "LT-MCHEN")]) == [unmanaged, unmanaged]
}

test_an_unknown_mechanism_is_not_judged if {
	sysmon := {"event": {"action": "goenv.changed"}, "host": {"name": "DEV-WS-0142"}, "goenv": {"name": "GOPROXY", "value": "https://goproxy.corp.example.com", "scope": "machine"}}
	ids_for([made_by("unknown", "gpo", "DEV-WS-0142"), sysmon]) == [[], []]
}

test_an_unset_counts_and_a_snapshot_does_not if {
	removal := json.patch(unset("GOINSECURE"), [{"op": "replace", "path": "/goenv/mechanism", "value": "manual"}])
	inventory := json.patch(snapshot("user", approved_settings), [{"op": "replace", "path": "/goenv/mechanism", "value": "manual"}])
	ids_for([removal, inventory]) == [unmanaged, []]
}

test_an_unmanaged_change_to_a_bad_value_matches_both_rules if {
	record := json.patch(change("GOSUMDB", "off"), [{"op": "replace", "path": "/goenv/mechanism", "value": "manual"}])
	judged_as([record], [["goenv.gosumdb_disabled", "goenv.unmanaged_change"]])
}
