package modtrail

# How one Go setting's value is judged; "" is an unset setting, which the go command reads as its default.

# GOPROXY: every proxy the go command would try must be approved.
go_default_goproxy := "https://proxy.golang.org,direct"

setting_flagged("GOPROXY", value) if {
	some entry in goproxy_entries(value)
	not approved_goproxy_entry(entry)
}

# "off" stops downloads and never leaks; "direct" bypasses the audited proxy, so it needs goproxy_allow_direct.
approved_goproxy_entry("off") := true

approved_goproxy_entry("direct") if data.goproxy_allow_direct == true

approved_goproxy_entry(entry) if approved_goproxies[entry]

approved_goproxies := {normalized_proxy(trim_space(url)) | some url in data.approved_goproxy}

# The entries as the go command walks them (cmd/go/internal/modfetch proxyList): split at "," and "|", trimmed,
# empty ones skipped, and nothing after "off" or "direct", which end the list.
goproxy_entries(value) := entries_until_terminal(entries) if {
	listed := value_or_default(value, go_default_goproxy)
	entries := [normalized_proxy(entry) | some raw in split(replace(listed, "|", ","), ","); entry := trim_space(raw); entry != ""]
}

value_or_default("", default_value) := default_value

value_or_default(value, _) := value if value != ""

goproxy_keywords := {"off", "direct"}

entries_until_terminal(entries) := array.slice(entries, 0, min(ends) + 1) if {
	ends := [i | some i, entry in entries; goproxy_keywords[entry]]
	count(ends) > 0
} else := entries

# As the go command reads a proxy: a bare host (goproxy.corp.example.com) means https; a trailing slash is
# dropped, so https://goproxy.corp.example.com/ and https://goproxy.corp.example.com are the same proxy.
normalized_proxy(entry) := entry if goproxy_keywords[entry]

normalized_proxy(entry) := trim_suffix(with_scheme(entry), "/") if not goproxy_keywords[entry]

with_scheme(entry) := concat("", ["https://", entry]) if {
	regex.match(`[.:/]`, entry)
	not contains(entry, ":/")
	not regex.match(`^(/|[A-Za-z]:\\)`, entry)
} else := entry

# GOSUMDB: "off", or a checksum database other than the approved ones. The syntax is name, name+key or
# name+key url: the name is the first word up to a "+". Unset means sum.golang.org.
setting_flagged("GOSUMDB", value) if not approved_gosumdbs[gosumdb_name(value)]

approved_gosumdbs := {gosumdb_name(name) | some name in data.approved_gosumdb}

# sum.golang.google.cn is the go command's own alias: sum.golang.org through a mirror, with sum.golang.org's key.
gosumdb_name(value) := "sum.golang.org" if {
	trim_space(value) in {"", "sum.golang.google.cn"}
} else := name if {
	[[_, name]] := regex.find_all_string_submatch_n(`^\s*([^\s+]*)`, value, 1)
}

# GOINSECURE: any pattern lets matching modules be fetched over plain HTTP and without certificate checks.
setting_flagged("GOINSECURE", value) if trim_space(value) != ""

# GOFLAGS: -insecure (also --insecure, -insecure=true and the other spellings of true Go's flag package reads).
setting_flagged("GOFLAGS", value) if regex.match(`(^|\s)--?insecure(=(1|t|T|TRUE|true|True))?(\s|$)`, value)

# GOPRIVATE, GONOSUMDB, GONOPROXY: a pattern is too broad when it matches a probe module path on a public host,
# so `*`, `*.com`, `github.com` and `github.com/*` are, and `github.com/acme-corp` is not.
setting_flagged(name, value) if {
	private_pattern_settings[name]
	patterns := prepare_patterns(split(value, ","))
	some probe in public_host_probes
	matches_any_pattern(probe, patterns)
}

# Three elements, as most public module paths have (github.com/owner/repo), so github.com/*/* is caught too.
public_host_probes := [concat("", [host, "/zz-modtrail-probe/zz-probe"]) | some host in public_hosts]

public_hosts := data.public_hosts if {
	data.public_hosts
} else := default_public_hosts

# Used when the data names no public_hosts; policies/data/default.json lists the same hosts.
default_public_hosts := [
	"github.com",
	"gitlab.com",
	"bitbucket.org",
	"golang.org",
	"google.golang.org",
	"gopkg.in",
	"go.uber.org",
	"k8s.io",
	"sigs.k8s.io",
	"cloud.google.com",
	"go.opentelemetry.io",
]
