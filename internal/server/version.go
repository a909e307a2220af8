package server

import "runtime/debug"

// version is set at build time with -ldflags "-X github.com/dxlocal/dxlocal/internal/server.version=v1.2.3";
// without it, Version reads what the Go toolchain recorded in the binary.
var version string

// Version is dxlocal's version: the one set at build time, else the module version and the
// VCS revision the Go toolchain recorded, else "devel".
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	// A pseudo-version already names the revision; a plain build does not.
	if rev != "" && v == "devel" {
		v += " (" + rev[:min(12, len(rev))] + modified + ")"
	}
	return v
}
