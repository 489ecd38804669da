package modtrail_test

import data.modtrail

# Cases from golang.org/x/mod/module TestMatchPrefixPatterns, plus the allowlist shapes modtrail ships.
matching_cases := [
	["*/quote", "rsc.io/quote"],
	["*/quo??", "rsc.io/quote"],
	["*/quo*", "rsc.io/quote"],
	["rsc.io", "rsc.io/quote"],
	["*.io", "rsc.io/quote"],
	["rsc*", "rsc.io/quote"],
	["rsc.io", "rsc.io/quote/v3"],
	["*/quote", "rsc.io/quote/v3"],
	["*/quote/*", "rsc.io/quote/v3"],
	["*/*/v3", "rsc.io/quote/v3"],
	["*/*/*", "rsc.io/quote/v3"],
	["golang.org/x", "golang.org/x/text"],
	["golang.org/x", "golang.org/x"],
	["*.corp.example.com", "git.corp.example.com/team/svc"],
	["github.com/acme-corp", "github.com/acme-corp/billing/v2"],
	["gopkg.in/yaml.v3", "gopkg.in/yaml.v3"],
	# A trailing slash on a pattern is ignored (x/mod since 2023).
	["rsc.io/", "rsc.io/quote"],
]

non_matching_cases := [
	["*/quo", "rsc.io/quote"],
	["*quo*", "rsc.io/quote"],
	["rsc", "rsc.io/quote"],
	["*/v3", "rsc.io/quote/v3"],
	["*/*/*", "rsc.io/quote"],
	["github.com/acme", "github.com/acmecorp/x"],
	["golang.org/x", "golang.org/xerrors"],
	["*.corp.example.com", "corp.example.com/team/svc"],
	["*.corp.example.com", "github.com/git.corp.example.com"],
	["gopkg.in/yaml.v3", "gopkg.in/yaml.v2"],
	["", "rsc.io/quote"],
	["/", "rsc.io/quote"],
	# Module paths are case-sensitive, as in Go.
	["github.com/Acme-Corp", "github.com/acme-corp/x"],
]

test_patterns_that_match if {
	every case in matching_cases {
		modtrail.matches_prefix_pattern(case[1], case[0])
	}
}

test_patterns_that_do_not_match if {
	every case in non_matching_cases {
		not modtrail.matches_prefix_pattern(case[1], case[0])
	}
}

test_any_pattern_in_the_list_matches if {
	modtrail.matches_any_pattern("golang.org/x/text", ["", "github.com/acme", "golang.org/x"])
}

test_no_pattern_in_the_list_matches if {
	not modtrail.matches_any_pattern("github.com/evil/x", ["golang.org/x", "github.com/acme"])
}

test_an_empty_list_matches_nothing if {
	not modtrail.matches_any_pattern("golang.org/x/text", [])
}
