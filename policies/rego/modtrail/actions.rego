package modtrail

rules contains {
	"id": "action.sensitive",
	"name": "Sensitive proxy action",
	"severity": 3,
	"alert": true,
	"actions": sensitive_actions,
	"areas": {"artifactory", "sumdb"},
}

# A single denied login is routine (a mistyped password, an expired token): kept and counted, not alerted.
rules contains {
	"id": "action.login_denied",
	"name": "Denied login",
	"severity": 2,
	"alert": false,
	"actions": {"user.login"},
}

violates("action.sensitive", record) if sensitive_action(record)

violates("action.login_denied", record) if {
	record.event.action == "user.login"
	record.event.outcome == "failure"
}

# A write into a repository, allowed or denied: what the proxy serves next may change.
sensitive_action(record) if repository_write_actions[record.event.action]

# The proxy's own API, except a monitoring system reading its metrics or version.
sensitive_action(record) if {
	record.event.action == "proxy.admin"
	not monitoring_read(record)
}

# Artifactory access-log actions other than downloads, deploys, deletes and logins (configuration changes,
# repository creation, annotations).
sensitive_action(record) if startswith(record.event.action, "artifactory.")

sensitive_action(record) if record.modtrail.source_action == "DENIED DOWNLOAD"

sensitive_action(record) if {
	module_request_actions[record.event.action]
	record.http.response.status_code == 403
}

# Writes, admin calls, and every request that can be a download (module.*, sumdb.* by area, artifact.download).
sensitive_actions := (repository_write_actions | module_request_actions) | {"proxy.admin", "artifact.download"}

repository_write_actions := {"module.deploy", "module.delete", "artifact.deploy", "artifact.delete"}

read_methods := {"GET", "HEAD"}

# Athens /metrics and /version, Artifactory /api/v1/metrics and /api/system/version, Nexus /service/metrics/….
# Artifactory logs some paths without the leading slash.
monitoring_read(record) if {
	read_methods[record.http.request.method]
	regex.match(`^/?(?:metrics|version|service/metrics(?:/.*)?|(?:artifactory/)?api/(?:v1/metrics|system/version))$`, record.url.path)
}
