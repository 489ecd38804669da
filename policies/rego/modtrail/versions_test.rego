package modtrail_test

import data.modtrail

# Ascending precedence: the semver.org §11 examples, Go pseudo-versions, and numbers compared as numbers.
ascending := [
	"v0.0.0-20190101000000-aaaaaaaaaaaa",
	"v0.0.0-20240101120000-abcdef123456",
	"v0.0.0",
	"v0.0.1",
	"v0.9.9",
	"v0.10.0",
	"v0.17.0-rc.1",
	"v0.17.0",
	"v1.0.0-alpha",
	"v1.0.0-alpha.1",
	"v1.0.0-alpha.beta",
	"v1.0.0-beta",
	"v1.0.0-beta.2",
	"v1.0.0-beta.11",
	"v1.0.0-rc.1",
	"v1.0.0",
	"v1.2.3",
	"v1.2.4-0.20240101120000-abcdef123456",
	"v1.2.4",
	"v1.10.0",
	"v2.0.0",
	"v10.0.0",
	"v24.0.7",
	"v100.0.0",
]

below(a, b) if modtrail.version_key(a) < modtrail.version_key(b)

test_versions_order_by_precedence if {
	every i, version in ascending {
		every later in array.slice(ascending, i + 1, count(ascending)) {
			below(version, later)
			not below(later, version)
		}
	}
}

test_build_metadata_is_ignored if {
	modtrail.version_key("v24.0.7+incompatible") == modtrail.version_key("v24.0.7")
	modtrail.version_key("v1.0.0+build.1") == modtrail.version_key("v1.0.0+build.2")
	not below("v2.0.0+incompatible", "v2.0.0")
}

test_numbers_beyond_float_precision_still_compare if {
	below("v9007199254740992.0.0", "v9007199254740993.0.0")
	below("v1.0.0-9007199254740992", "v1.0.0-9007199254740993")
}

test_what_is_not_a_canonical_go_version_has_no_key if {
	every version in ["v1.2", "v1", "1.2.3", "latest", "master", "v01.2.3", "v1.2.3-", "v1.2.3+", "abcdef123456", ""] {
		not modtrail.version_key(version)
	}
}
