package modtrail_test

import data.modtrail

sensitive := ["action.sensitive"]

admin_call(method, path) := {
	"event": {"action": "proxy.admin", "outcome": "success"},
	"http": {"request": {"method": method}, "response": {"status_code": 200}},
	"url": {"path": path},
}

access(action, outcome, verdict) := {
	"event": {"action": action, "outcome": outcome},
	"observer": {"product": "artifactory", "type": "proxy"},
	"modtrail": {"repository": "go-local", "source_action": verdict},
}

test_writes_into_a_repository_are_sensitive_allowed_or_denied if {
	judged_as(
		[
			access("module.deploy", "success", "ACCEPTED DEPLOY"),
			access("module.delete", "success", "ACCEPTED DELETE"),
			access("artifact.deploy", "failure", "DENIED DEPLOY"),
			access("artifact.delete", "success", "ACCEPTED DELETE"),
		],
		[sensitive, sensitive, sensitive, sensitive],
	)
}

test_admin_calls_are_sensitive_except_monitoring_reads if {
	judged_as(
		[
			admin_call("POST", "/api/repositories"),
			admin_call("GET", "/artifactory/api/security/users"),
			admin_call("DELETE", "/service/rest/v1/repositories/go-proxy"),
			admin_call("GET", "/debug/pprof/heap"),
			admin_call("POST", "/metrics"),
			admin_call("GET", "/metrics"),
			admin_call("HEAD", "/version"),
			admin_call("GET", "/artifactory/api/v1/metrics"),
			admin_call("GET", "/service/metrics/prometheus"),
			admin_call("GET", "api/system/version"),
			admin_call("GET", "/api/system/configuration"),
		],
		[sensitive, sensitive, sensitive, sensitive, sensitive, [], [], [], [], [], sensitive],
	)
}

test_other_artifactory_actions_are_sensitive if {
	judged_as(
		[
			access("artifactory.configuration_change", "success", "ACCEPTED CONFIGURATION_CHANGE"),
			access("artifactory.create", "success", "ACCEPTED CREATE"),
			access("artifactory.annotate", "failure", "DENIED ANNOTATE"),
		],
		[sensitive, sensitive, sensitive],
	)
}

test_denied_downloads_are_sensitive if {
	denied_zip := object.union(repository_request("module.zip", "golang.org/x/text", "go-local"), {"modtrail": {"source_action": "DENIED DOWNLOAD"}})
	accepted_zip := object.union(repository_request("module.zip", "golang.org/x/text", "go-local"), {"modtrail": {"source_action": "ACCEPTED DOWNLOAD"}})
	forbidden := object.union(request("module.mod", "golang.org/x/text", "v0.14.0"), {"http": {"response": {"status_code": 403}}})
	unauthorized := object.union(request("module.mod", "golang.org/x/text", "v0.14.0"), {"http": {"response": {"status_code": 401}}})
	missing := object.union(request("module.mod", "golang.org/x/text", "v0.14.0"), {"http": {"response": {"status_code": 404}}})
	ui_forbidden := {"event": {"action": "proxy.ui"}, "http": {"response": {"status_code": 403}}}
	judged_as(
		[
			denied_zip,
			access("artifact.download", "failure", "DENIED DOWNLOAD"),
			forbidden,
			accepted_zip,
			unauthorized,
			missing,
			ui_forbidden,
		],
		[sensitive, sensitive, sensitive, [], [], [], []],
	)
}

test_a_denied_download_of_an_unlisted_module_matches_both_rules if {
	forbidden := object.union(request("module.zip", "github.com/stranger/lib", "v1.0.0"), {"http": {"response": {"status_code": 403}}})
	judged_as([forbidden], [["action.sensitive", "module.not_allowlisted"]])
}

test_a_denied_login_is_kept_at_low_severity_without_an_alert if {
	judged_as([access("user.login", "failure", "DENIED LOGIN"), access("user.login", "success", "ACCEPTED LOGIN")], [["action.login_denied"], []])
	modtrail.decision(access("user.login", "failure", "DENIED LOGIN")) == {
		"ids": ["action.login_denied"],
		"names": ["Denied login"],
		"severity": 2,
		"risk_score": 21,
		"alert": false,
	}
}
