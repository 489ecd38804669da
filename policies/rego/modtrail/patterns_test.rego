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
	["github.com/acme-corp/*", "github.com/acme-corp/billing/v2"],
	["example.com/[a-c]*", "example.com/beta/v2"],
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
	["golang.org/x/text", "golang.org/x"],
	["github.com/acme-corp/*", "github.com/acme-corp"],
	["example.com/[a-c]*", "example.com/delta"],
	["", "rsc.io/quote"],
	["/", "rsc.io/quote"],
	# Module paths are case-sensitive, as in Go.
	["github.com/Acme-Corp", "github.com/acme-corp/x"],
]

matches(path, pattern) if modtrail.matches_any_pattern(path, modtrail.prepare_patterns([pattern]))

test_patterns_that_match if {
	every case in matching_cases {
		matches(case[1], case[0])
	}
}

test_patterns_that_do_not_match if {
	every case in non_matching_cases {
		not matches(case[1], case[0])
	}
}

test_any_pattern_in_the_list_matches if {
	patterns := modtrail.prepare_patterns(["", "github.com/acme", "*.corp.example.com", "golang.org/x"])
	modtrail.matches_any_pattern("golang.org/x/text", patterns)
	modtrail.matches_any_pattern("git.corp.example.com/team/svc", patterns)
}

test_no_pattern_in_the_list_matches if {
	patterns := modtrail.prepare_patterns(["golang.org/x", "github.com/acme", "*.corp.example.com"])
	not modtrail.matches_any_pattern("github.com/evil/x", patterns)
}

test_an_empty_list_matches_nothing if {
	not modtrail.matches_any_pattern("golang.org/x/text", modtrail.prepare_patterns([]))
}

test_literals_and_globs_are_told_apart if {
	modtrail.prepare_patterns(["golang.org/x/", "gopkg.in/yaml.v3", "*.corp.example.com", "rsc.io/quo?e", "a/[bc]", "a\\b", ""]) == {
		"literals": {"golang.org/x", "gopkg.in/yaml.v3"},
		"literal_lengths": {2},
		"globs": [
			{"glob": "*.corp.example.com", "elements": 1},
			{"glob": "a/[bc]", "elements": 2},
			{"glob": "a\\b", "elements": 1},
			{"glob": "rsc.io/quo?e", "elements": 2},
		],
	}
}
