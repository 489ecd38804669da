package modtrail

rules contains {
	"id": "goenv.unmanaged_change",
	"name": "Go setting changed outside its management",
	"severity": 3,
	"alert": true,
	"actions": goenv_change_actions,
}

violates("goenv.unmanaged_change", record) if {
	goenv_change_actions[record.event.action]
	unmanaged_change(record)
}

# By hand or with `go env -w`, on a machine whose Go settings a management tool owns.
unmanaged_change(record) if {
	hand_mechanisms[record.goenv.mechanism]
	managed_machine(record)
}

# By one management tool on a machine another one manages (PowerShell on a Group Policy machine).
unmanaged_change(record) if {
	managing_mechanisms[record.goenv.mechanism]
	managing_mechanisms[record.goenv.managed_by]
	record.goenv.mechanism != record.goenv.managed_by
}

hand_mechanisms := {"manual", "go_env_w"}

managing_mechanisms := {"gpo", "sccm", "ansible", "powershell"}

managed_machine(record) if managing_mechanisms[record.goenv.managed_by]

managed_machine(record) if managed_host(record.host.name)

# data.managed_hosts: glob patterns on the host name, case-insensitive; "*" spans dots.
managed_host_globs := [lower(pattern) | some pattern in data.managed_hosts]

host_name_managed(name) if {
	lowered := lower(name)
	some pattern in managed_host_globs

	# "/" cannot occur in a host name: with it as the only delimiter, "*" matches across dots.
	glob.match(pattern, ["/"], lowered)
}

# Each host name in the input is matched once per evaluation.
input_change_hosts := {name | some record in input.records; goenv_change_actions[record.event.action]; name := record.host.name}

managed_input_hosts := {name | some name in input_change_hosts; host_name_managed(name)}

managed_host(name) if managed_input_hosts[name]

# A record that is not part of the input (a caller of decision/1 or violates/2) is matched directly.
managed_host(name) if {
	not input_change_hosts[name]
	host_name_managed(name)
}
