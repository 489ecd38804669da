package modtrail_test

import data.modtrail

goproxy := ["goenv.goproxy_unapproved"]

gosumdb := ["goenv.gosumdb_disabled"]

insecure := ["goenv.insecure"]

too_broad := ["goenv.private_too_broad"]

# Each value judged as a GOPROXY change; the expected ids, one list per value.
goproxy_ids(values) := ids_for([change("GOPROXY", value) | some value in values])

test_approved_proxies_pass_as_the_go_command_reads_them if {
	goproxy_ids([
		"https://goproxy.corp.example.com",
		"https://goproxy.corp.example.com/",
		"goproxy.corp.example.com",
		" https://goproxy.corp.example.com , https://athens.corp.example.com ",
		"https://goproxy.corp.example.com|https://athens.corp.example.com",
		"https://goproxy.corp.example.com,,",
	]) == [[], [], [], [], [], []]
}

test_an_unapproved_proxy_anywhere_in_the_list_is_flagged if {
	goproxy_ids([
		"https://proxy.golang.org",
		"https://goproxy.corp.example.com|https://proxy.golang.org",
		"https://goproxy.corp.example.com.evil.example",
		"http://goproxy.corp.example.com",
		"https://goproxy.corp.example.com/v2",
		"https://goproxy.io,https://goproxy.corp.example.com",
	]) == [goproxy, goproxy, goproxy, goproxy, goproxy, goproxy]
}

test_off_is_approved_and_ends_the_list if {
	goproxy_ids([
		"off",
		"https://goproxy.corp.example.com,off",
		"off,https://proxy.golang.org",
		"https://proxy.golang.org,off",
	]) == [[], [], [], goproxy]
}

test_direct_needs_goproxy_allow_direct if {
	values := ["direct", "https://goproxy.corp.example.com,direct", "https://goproxy.corp.example.com|direct"]
	goproxy_ids(values) == [goproxy, goproxy, goproxy]
	goproxy_ids(values) == [[], [], []] with data.goproxy_allow_direct as true
	goproxy_ids(["direct,https://proxy.golang.org"]) == [[]] with data.goproxy_allow_direct as true
	goproxy_ids(["direct"]) == [goproxy] with data.goproxy_allow_direct as "true"
}

test_unset_means_the_go_default_which_is_judged_like_any_value if {
	ids_for([change("GOPROXY", ""), unset("GOPROXY")]) == [goproxy, goproxy]
	ids := [d.ids | some d in modtrail.decisions] with input.records as [unset("GOPROXY")]
		with data.approved_goproxy as ["https://proxy.golang.org"]
		with data.approved_gosumdb as ["sum.golang.org"]
		with data.goproxy_allow_direct as true
	ids == [[]]
}

test_the_list_is_split_as_the_go_command_splits_it if {
	modtrail.goproxy_entries("https://a.example/ | b.example,off,https://c.example") == ["https://a.example", "https://b.example", "off"]
	modtrail.goproxy_entries("") == ["https://proxy.golang.org", "direct"]
	modtrail.goproxy_entries("file:///var/goproxy/,/srv/goproxy,direct,https://never.example") == ["file:///var/goproxy", "/srv/goproxy", "direct"]
}

test_gosumdb_off_or_another_database_is_flagged if {
	ids_for([
		change("GOSUMDB", "off"),
		change("GOSUMDB", "sumdb.evil.example+5b0d2c6e+AbCdEf"),
		change("GOSUMDB", "sum.golang.org.evil.example"),
		change("GOSUMDB", "OFF"),
	]) == [gosumdb, gosumdb, gosumdb, gosumdb]
}

test_gosumdb_is_judged_by_its_name if {
	ids_for([
		change("GOSUMDB", "sum.golang.org"),
		change("GOSUMDB", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"),
		change("GOSUMDB", "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 https://sumdb.corp.example.com"),
		change("GOSUMDB", "sum.golang.org https://sum.golang.google.cn"),
		change("GOSUMDB", "sum.golang.google.cn"),
		change("GOSUMDB", "  sum.golang.org  "),
		change("GOSUMDB", ""),
		unset("GOSUMDB"),
	]) == [[], [], [], [], [], [], [], []]
}

test_unset_gosumdb_is_flagged_when_sum_golang_org_is_not_approved if {
	ids := [d.ids | some d in modtrail.decisions] with input.records as [unset("GOSUMDB"), change("GOSUMDB", "sum.corp.example.com+1234abcd+key")]
		with data.approved_gosumdb as ["sum.corp.example.com"]
	ids == [gosumdb, []]
}

test_goinsecure_with_any_pattern_is_flagged if {
	ids_for([
		change("GOINSECURE", "*.corp.example.com"),
		change("GOINSECURE", "git.corp.example.com/legacy"),
		change("GOINSECURE", ""),
		change("GOINSECURE", "   "),
		unset("GOINSECURE"),
	]) == [insecure, insecure, [], [], []]
}

test_goflags_with_an_insecure_flag_is_flagged if {
	ids_for([change("GOFLAGS", value) | some value in [
		"-insecure",
		"-mod=mod -insecure",
		"--insecure",
		"-insecure=true",
		"-modcacherw --insecure=1 -mod=mod",
		"-insecure=false",
		"-mod=mod",
		"-insecurex",
		"-tags=insecure",
		"",
	]]) == [insecure, insecure, insecure, insecure, insecure, [], [], [], [], []]
}

test_private_patterns_covering_public_hosts_are_too_broad if {
	ids_for([change("GOPRIVATE", value) | some value in [
		"*",
		"*.com",
		"github.com",
		"github.com/*",
		"github.com/*/*",
		"gopkg.in/*",
		"*.corp.example.com,*.io",
		"*/*",
		"github.com/",
	]]) == [too_broad, too_broad, too_broad, too_broad, too_broad, too_broad, too_broad, too_broad, too_broad]
}

test_narrow_private_patterns_pass if {
	ids_for([change("GOPRIVATE", value) | some value in [
		"*.corp.example.com",
		"github.com/acme-corp",
		"github.com/acme-corp/*",
		"*.corp.example.com,github.com/acme-corp,gitlab.com/acme-corp/*",
		"github.com/*/*/*",
		"",
	]]) == [[], [], [], [], [], []]
}

test_gonosumdb_and_gonoproxy_are_judged_like_goprivate if {
	ids_for([change("GONOSUMDB", "github.com"), change("GONOPROXY", "*"), change("GONOSUMDB", "github.com/acme-corp"), unset("GONOPROXY")]) == [too_broad, too_broad, [], []]
}

test_public_hosts_come_from_the_data_when_given if {
	ids_for([change("GOPRIVATE", "github.com"), change("GOPRIVATE", "example.org")]) == [[], too_broad] with data.public_hosts as ["example.org"]
}

test_a_snapshot_of_what_the_go_command_sees_is_judged_whole if {
	ids_for([
		snapshot("user", approved_settings),
		snapshot("user", {}),
		snapshot("user", object.union(approved_settings, {"GOSUMDB": "off", "GOINSECURE": "*", "GOPRIVATE": "*"})),
		snapshot("user", object.union(approved_settings, {"GOPROXY": "https://proxy.golang.org,direct", "GOFLAGS": "-insecure"})),
	]) == [
		[],
		goproxy,
		["goenv.gosumdb_disabled", "goenv.insecure", "goenv.private_too_broad"],
		["goenv.goproxy_unapproved", "goenv.insecure"],
	]
}

test_a_snapshot_of_one_scope_judges_only_what_it_holds if {
	ids_for([
		snapshot("machine", {}),
		snapshot("goenv_file", {"GOFLAGS": "-mod=mod"}),
		snapshot("machine", {"GOPROXY": "direct"}),
		snapshot("goenv_file", {"GOSUMDB": "off"}),
	]) == [[], [], goproxy, gosumdb]
}

test_a_change_is_judged_by_its_own_setting_only if {
	ids_for([change("GOTOOLCHAIN", "local"), change("GOPROXY", "*"), change("GONOSUMCHECK", "1")]) == [[], goproxy, []]
}

test_settings_outside_goenv_records_are_not_judged if {
	registry_write := {"event": {"action": "registry.value_set"}, "goenv": {"name": "GOPROXY", "value": "direct"}}
	ids_for([registry_write]) == [[]]
}

test_a_batch_judges_each_setting_value_once if {
	records := [change("GOPROXY", "direct"), change("GOPROXY", "direct"), snapshot("user", approved_settings)]
	settings := modtrail.input_settings with input.records as records
	settings == {
		["GOPROXY", "direct"],
		["GOPROXY", "https://goproxy.corp.example.com"],
		["GOSUMDB", "sum.golang.org"],
		["GOPRIVATE", "*.corp.example.com"],
		["GOFLAGS", "-mod=readonly"],
		["GOINSECURE", ""],
		["GONOSUMDB", ""],
		["GONOPROXY", ""],
	}
}

test_a_snapshot_without_a_scope_is_read_as_what_the_go_command_sees if {
	ids_for([json.remove(snapshot("user", {}), ["goenv/scope"])]) == [goproxy]
}
