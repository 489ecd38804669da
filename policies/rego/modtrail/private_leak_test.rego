package modtrail_test

import data.modtrail

leak := ["module.private_leak"]

test_a_private_module_in_a_checksum_lookup_leaks if {
	lookup := object.union(request("sumdb.lookup", "git.corp.example.com/platform/auth", "v1.4.0"), {"modtrail": {"sumdb": "sum.golang.org"}})
	judged_as([lookup], [leak])
}

test_a_checksum_request_is_judged_by_its_action_or_its_database if {
	records := [
		request("sumdb.lookup", "git.corp.example.com/platform/auth", "v1.4.0"),
		object.union(request("module.info", "git.corp.example.com/platform/auth", "v1.4.0"), {"modtrail": {"sumdb": "sum.golang.org"}}),
	]
	judged_as(records, [leak, leak])
}

test_a_public_module_in_a_checksum_lookup_is_no_leak if {
	judged_as([request("sumdb.lookup", "golang.org/x/text", "v0.14.0")], [[]])
}

test_any_request_through_a_public_repository_leaks_whatever_the_answer if {
	not_found := object.union(repository_request("module.info", "git.corp.example.com/platform/auth", "go-remote"), {"http": {"response": {"status_code": 404}}})
	records := [
		repository_request("module.zip", "git.corp.example.com/platform/auth", "go-remote"),
		repository_request("module.list", "github.com/acme-corp/internal-tools", "go-proxy"),
		repository_request("module.latest", "git.corp.example.com/platform/auth", "go-remote"),
		not_found,
	]
	judged_as(records, [leak, leak, leak, leak])
}

test_private_modules_through_internal_repositories_and_athens_do_not_leak if {
	records := [
		repository_request("module.zip", "git.corp.example.com/platform/auth", "go-local"),
		repository_request("module.zip", "git.corp.example.com/platform/auth", "go-virtual"),
		request("module.zip", "git.corp.example.com/platform/auth", "v1.4.0"),
		repository_request("module.deploy", "git.corp.example.com/platform/auth", "go-remote"),
	]
	judged_as(records, [[], [], [], ["action.sensitive"]])
}

test_lookalikes_of_private_paths_are_public if {
	records := [
		repository_request("module.zip", "github.com/acme-corp/internal", "go-remote"),
		request("sumdb.lookup", "github.com/acme-corp/billing", "v1.0.0"),
		request("sumdb.lookup", "corp.example.com/x", "v1.0.0"),
	]

	# corp.example.com is neither private nor allowed: only the allowlist speaks.
	judged_as(records, [[], [], ["module.not_allowlisted"]])
}

test_a_leak_of_a_module_outside_the_allowlist_matches_both if {
	records := [request("sumdb.lookup", "github.com/acme-corp/internal-tools", "v0.3.0")]
	ids := [d.ids | some d in modtrail.decisions] with input.records as records
		with data.allowed_modules as ["golang.org/x"]
		with data.private_modules as rule_data.private_modules
	ids == [["module.not_allowlisted", "module.private_leak"]]
}

test_without_public_repositories_only_checksum_requests_leak if {
	ids := [d.ids | some d in modtrail.decisions] with input.records as [
		repository_request("module.zip", "git.corp.example.com/platform/auth", "go-remote"),
		request("sumdb.lookup", "git.corp.example.com/platform/auth", "v1.4.0"),
	]
		with data.allowed_modules as rule_data.allowed_modules
		with data.private_modules as rule_data.private_modules
	ids == [[], leak]
}
