package modtrail

rules contains {
	"id": "module.private_leak",
	"name": "Private module named to a public service",
	"severity": 4,
	"alert": true,
	"actions": module_request_actions,
	"areas": {"sumdb"},
}

violates("module.private_leak", record) if {
	toward_public_service(record)
	private_module(record.package.name)
}

# A checksum database request: the go command (or a proxy on its behalf) names the module to sum.golang.org.
toward_public_service(record) if startswith(record.event.action, "sumdb.")

toward_public_service(record) if record.modtrail.sumdb

# Any module request through a proxy repository that forwards to the public internet, whatever the answer.
toward_public_service(record) if {
	module_request_actions[record.event.action]
	public_repositories[record.modtrail.repository]
}

public_repositories := {name | some name in data.public_repositories}

# Prepared and matched once per evaluation, like the allowlist.
private_patterns := prepare_patterns(data.private_modules)

private_input_module_paths := {p | some p in input_module_paths; matches_any_pattern(p, private_patterns)}

private_module(path) if private_input_module_paths[path]

private_module(path) if {
	not input_module_paths[path]
	matches_any_pattern(path, private_patterns)
}
