package modtrail

# Actions that fetch module content or checksums; listing versions (module.list) is not a fetch.
fetch_actions := {"module.info", "module.mod", "module.zip", "sumdb.lookup"}

# Every request that names a module to a proxy or checksum database, listings and @latest included.
module_request_actions := fetch_actions | {"module.list", "module.latest"}

# Prepared once per evaluation, not once per record.
allowed_patterns := prepare_patterns(data.allowed_modules)

rules contains {
	"id": "module.not_allowlisted",
	"name": "Module outside the allowlist",
	"severity": 3,
	"alert": true,
	"actions": fetch_actions,
}

violates("module.not_allowlisted", record) if {
	# A set lookup: compiled to WASM, `x in set` scans the set element by element.
	fetch_actions[record.event.action]
	module_path := record.package.name
	not allowed_module(module_path)
}

# A batch names the same few modules again and again: each module path in the input is matched once per evaluation.
input_module_paths := {p | some record in input.records; p := record.package.name}

allowed_input_module_paths := {p | some p in input_module_paths; matches_any_pattern(p, allowed_patterns)}

allowed_module(path) if allowed_input_module_paths[path]

# A record that is not part of the input (a caller of decision/1 or violates/2) is matched directly.
allowed_module(path) if {
	not input_module_paths[path]
	matches_any_pattern(path, allowed_patterns)
}
