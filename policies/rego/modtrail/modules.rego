package modtrail

# Actions that fetch module content or checksums; listing versions (module.list) is not a fetch.
fetch_actions := {"module.info", "module.mod", "module.zip", "sumdb.lookup"}

# Prepared once per evaluation, not once per record.
allowed_patterns := prepare_patterns(data.allowed_modules)

rules contains {
	"id": "module.not_allowlisted",
	"name": "Module outside the allowlist",
	"severity": 3,
	"alert": true,
}

violates("module.not_allowlisted", record) if {
	record.event.action in fetch_actions
	module_path := record.package.name
	not matches_any_pattern(module_path, allowed_patterns)
}
