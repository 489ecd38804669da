package modtrail_test

import data.modtrail

versionless(action, module_path) := {
	"event": {"action": action, "outcome": "success"},
	"package": {"name": module_path, "type": "golang"},
}

test_a_pattern_string_denies_every_request_and_version if {
	records := [
		request("module.zip", "github.com/evil-corp/backdoor", "v1.2.3"),
		request("module.info", "github.com/evil-corp/backdoor", "v0.0.0-20240101120000-abcdef123456"),
		request("module.mod", "github.com/evil-corp/backdoor/v2", "v2.0.0"),
		request("sumdb.lookup", "github.com/evil-corp/backdoor", "v1.2.3"),
		versionless("module.list", "github.com/evil-corp/backdoor"),
		versionless("module.latest", "github.com/evil-corp/backdoor"),
	]

	# Also outside the allowlist, except listings and @latest, which are not fetches.
	both := ["module.denied", "module.not_allowlisted"]
	judged_as(records, [both, both, both, both, ["module.denied"], ["module.denied"]])
}

test_below_denies_lower_versions_only if {
	records := [
		request("module.zip", "golang.org/x/crypto", "v0.16.0"),
		request("module.zip", "golang.org/x/crypto", "v0.17.0-rc.1"),
		request("module.zip", "golang.org/x/crypto", "v0.0.0-20231218163308-9d2ee975ef9f"),
		request("module.zip", "golang.org/x/crypto", "v0.17.0"),
		request("module.zip", "golang.org/x/crypto", "v0.17.1-0.20240101120000-abcdef123456"),
		request("module.zip", "golang.org/x/crypto", "v0.31.0"),
	]
	judged_as(records, [["module.denied"], ["module.denied"], ["module.denied"], [], [], []])
}

test_versions_deny_exactly_those_versions if {
	records := [
		request("module.mod", "github.com/acme-corp/billing", "v1.4.0"),
		request("module.mod", "github.com/acme-corp/billing", "v1.4.1"),
		request("module.mod", "github.com/acme-corp/billing", "v1.4.0+build.7"),
		request("module.mod", "github.com/acme-corp/billing", "v1.4.2"),
		request("module.mod", "github.com/acme-corp/billing", "v1.3.9"),
		request("module.mod", "github.com/acme-corp/billing-ui", "v1.4.0"),
	]
	judged_as(records, [["module.denied"], ["module.denied"], ["module.denied"], [], [], []])
}

test_versions_and_below_together if {
	records := [
		request("module.zip", "golang.org/x/net", "v0.16.0"),
		request("module.zip", "golang.org/x/net", "v0.20.0"),
		request("module.zip", "golang.org/x/net", "v0.19.0"),
		request("module.zip", "golang.org/x/net", "v0.21.0"),
	]
	judged_as(records, [["module.denied"], ["module.denied"], [], []])
}

test_a_request_without_a_canonical_version_matches_only_pattern_strings if {
	records := [
		versionless("module.list", "golang.org/x/crypto"),
		versionless("module.latest", "golang.org/x/crypto"),
		request("module.info", "golang.org/x/crypto", "master"),
		request("module.info", "golang.org/x/crypto", "v0.16"),
	]
	judged_as(records, [[], [], [], []])
}

test_other_actions_are_not_requests_for_a_module if {
	records := [
		request("module.deploy", "github.com/evil-corp/backdoor", "v1.2.3"),
		request("proxy.other", "github.com/evil-corp/backdoor", "v1.2.3"),
		request("sumdb.tile", "golang.org/x/crypto", "v0.1.0"),
	]
	ids_for(records) == [["action.sensitive"], [], []]
}

test_a_version_outside_the_batch_of_a_module_inside_it_is_judged_directly if {
	batch := [request("module.zip", "golang.org/x/crypto", "v0.31.0")]
	d := modtrail.decision(request("module.zip", "golang.org/x/crypto", "v0.1.0")) with input.records as batch
		with data.allowed_modules as rule_data.allowed_modules
		with data.denied_modules as rule_data.denied_modules
	d.ids == ["module.denied"]
}

test_an_empty_denylist_denies_nothing if {
	ids := [d.ids | some d in modtrail.decisions] with input.records as [request("module.zip", "github.com/evil-corp/backdoor", "v1.2.3")]
		with data.allowed_modules as ["github.com"]
		with data.denied_modules as []
	ids == [[]]
}

test_a_denied_module_is_critical_and_alerts if {
	d := modtrail.decision(request("module.zip", "golang.org/x/crypto", "v0.1.0"))
		with data.allowed_modules as rule_data.allowed_modules
		with data.denied_modules as rule_data.denied_modules
	d == {"ids": ["module.denied"], "names": ["Denied module or version"], "severity": 5, "risk_score": 99, "alert": true}
}

test_entries_are_prepared_once if {
	entries := modtrail.denied_version_entries with data.denied_modules as rule_data.denied_modules
	count(entries) == 3
	entries[0].below == {modtrail.version_key("v0.17.0")}
	entries[0].versions == set()
	entries[1].below == set()
	entries[1].versions == {modtrail.version_key("v1.4.0"), modtrail.version_key("v1.4.1")}
}
