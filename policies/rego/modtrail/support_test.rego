package modtrail_test

import data.modtrail

# Shared by the rule tests: one policy data document and record builders in the shape of the policy view.

rule_data := {
	"allowed_modules": ["golang.org/x", "github.com/acme-corp", "*.corp.example.com"],
	"denied_modules": [
		"github.com/evil-corp/backdoor",
		{"pattern": "golang.org/x/crypto", "below": "v0.17.0"},
		{"pattern": "github.com/acme-corp/billing", "versions": ["v1.4.0", "v1.4.1"]},
		{"pattern": "golang.org/x/net", "below": "v0.17.0", "versions": ["v0.20.0"]},
	],
	"private_modules": ["*.corp.example.com", "github.com/acme-corp/internal-*"],
	"approved_goproxy": ["https://goproxy.corp.example.com/", "https://athens.corp.example.com"],
	"approved_gosumdb": ["sum.golang.org"],
	"public_repositories": ["go-remote", "go-proxy"],
	"managed_hosts": ["DEV-WS-*", "*.build.corp.example.com"],
}

# The rule ids each record matches, judged in one batch with rule_data. Keys a test varies (goproxy_allow_direct,
# public_hosts, severities) are left to the test's own `with`.
ids_for(records) := [d.ids | some d in decisions] if {
	decisions := modtrail.decisions with input.records as records
		with data.allowed_modules as rule_data.allowed_modules
		with data.denied_modules as rule_data.denied_modules
		with data.private_modules as rule_data.private_modules
		with data.approved_goproxy as rule_data.approved_goproxy
		with data.approved_gosumdb as rule_data.approved_gosumdb
		with data.public_repositories as rule_data.public_repositories
		with data.managed_hosts as rule_data.managed_hosts
}

# The same for one record judged alone, outside any batch (decision/1 with an empty input).
ids_alone(record) := d.ids if {
	d := modtrail.decision(record) with input.records as []
		with data.allowed_modules as rule_data.allowed_modules
		with data.denied_modules as rule_data.denied_modules
		with data.private_modules as rule_data.private_modules
		with data.approved_goproxy as rule_data.approved_goproxy
		with data.approved_gosumdb as rule_data.approved_gosumdb
		with data.public_repositories as rule_data.public_repositories
		with data.managed_hosts as rule_data.managed_hosts
}

# Every record judged in a batch and alone must match exactly `expected`.
judged_as(records, expected) if {
	ids_for(records) == expected
	[ids_alone(record) | some record in records] == expected
}

request(action, module_path, version) := {
	"event": {"action": action, "outcome": "success"},
	"observer": {"product": "athens", "type": "proxy"},
	"http": {"request": {"method": "GET"}, "response": {"status_code": 200}},
	"package": {"name": module_path, "version": version, "type": "golang"},
}

# A request through an Artifactory or Nexus repository.
repository_request(action, module_path, repository) := object.union(request(action, module_path, "v1.0.0"), {
	"observer": {"product": "artifactory", "type": "proxy"},
	"modtrail": {"repository": repository},
})

# A change made by the mechanism that manages the machine: only the value is judged.
change(name, value) := {
	"event": {"action": "goenv.changed", "outcome": "success"},
	"host": {"name": "DEV-WS-0142"},
	"goenv": {"name": name, "value": value, "scope": "user", "mechanism": "gpo", "managed_by": "gpo"},
}

unset(name) := {
	"event": {"action": "goenv.unset", "outcome": "success"},
	"host": {"name": "DEV-WS-0142"},
	"goenv": {"name": name, "scope": "user", "mechanism": "gpo", "managed_by": "gpo"},
}

# What a user's go command sees, approved everywhere; a test replaces or removes settings.
approved_settings := {
	"GOPROXY": "https://goproxy.corp.example.com",
	"GOSUMDB": "sum.golang.org",
	"GOPRIVATE": "*.corp.example.com",
	"GOFLAGS": "-mod=readonly",
}

snapshot(scope, settings) := {
	"event": {"action": "goenv.snapshot", "outcome": "success"},
	"host": {"name": "DEV-WS-0142"},
	"goenv": {"settings": settings, "scope": scope, "mechanism": "sccm", "managed_by": "sccm"},
}
