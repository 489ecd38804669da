package modtrail

# data.denied_modules holds pattern strings (every version is denied) and objects
# {"pattern": ..., "versions": [exact versions], "below": version} (only those versions are denied).

rules contains {
	"id": "module.denied",
	"name": "Denied module or version",
	"severity": 5,
	"alert": true,
	"actions": module_request_actions,
}

violates("module.denied", record) if {
	module_request_actions[record.event.action]
	denied_request(record.package)
}

denied_request(module) if denied_module(module.name)

# A request without a version (a listing, @latest) can only match a pattern string.
denied_request(module) if denied_module_version(module.name, module.version)

# Prepared once per evaluation: the strings as one pattern list, each object as its own entry.
denied_patterns := prepare_patterns([entry | some entry in data.denied_modules; is_string(entry)])

denied_version_entries := [prepare_version_entry(entry) | some entry in data.denied_modules; is_object(entry)]

prepare_version_entry(entry) := {
	"patterns": prepare_patterns([entry.pattern]),
	"versions": {key | some version in object.get(entry, "versions", []); key := version_key(version)},
	"below": {key | key := version_key(entry.below)},
}

# A version that is not canonical (a branch or commit query) has no key and matches no object: the go command
# resolves it first, and the .mod and .zip it then fetches name the canonical version.
version_denied_by(entry, key) if entry.versions[key]

version_denied_by(entry, key) if {
	some bound in entry.below
	key < bound
}

# Each module path in the input is matched once per evaluation, and each module version judged once.
denied_input_module_paths := {p | some p in input_module_paths; matches_any_pattern(p, denied_patterns)}

# Module path → the version entries whose pattern covers it; only paths some entry covers.
version_entries_by_path := {p: indexes |
	some p in input_module_paths
	indexes := [i | some i, entry in denied_version_entries; matches_any_pattern(p, entry.patterns)]
	count(indexes) > 0
}

# The versions asked for of those paths, each judged once.
input_covered_versions := {[p, v] |
	some record in input.records
	p := record.package.name
	version_entries_by_path[p]
	v := record.package.version
}

denied_input_module_versions := {[p, v] |
	some [p, v] in input_covered_versions
	some i in version_entries_by_path[p]
	version_denied_by(denied_version_entries[i], version_key(v))
}

denied_module(path) if denied_input_module_paths[path]

# A record that is not part of the input (a caller of decision/1 or violates/2) is matched directly.
denied_module(path) if {
	not input_module_paths[path]
	matches_any_pattern(path, denied_patterns)
}

denied_module_version(path, version) if {
	version_entries_by_path[path]
	denied_input_module_versions[[path, version]]
}

# A version the input does not ask for, of a path it does (a caller of decision/1 or violates/2).
denied_module_version(path, version) if {
	some i in version_entries_by_path[path]
	not input_covered_versions[[path, version]]
	version_denied_by(denied_version_entries[i], version_key(version))
}

# A module path that is not part of the input.
denied_module_version(path, version) if {
	not input_module_paths[path]
	some entry in denied_version_entries
	matches_any_pattern(path, entry.patterns)
	version_denied_by(entry, version_key(version))
}
