// Package repo knows the platform's layout: which folders of services/ are services that run.
package repo

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Services lists the folders of services/ that have src/main.ts: each runs as its own container.
// (services/portal has none: it is static files the gateway serves.)
func Services(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "services"))
	if err != nil {
		return nil, fmt.Errorf("reading services/: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "services", e.Name(), "src", "main.ts")); err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("no service (services/*/src/main.ts) under %s", root)
	}
	return names, nil
}

// Problems collects what a check found, printed one per line.
type Problems []string

func (p *Problems) Addf(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// Exit prints the problems and exits 1 when there are any.
func (p Problems) Exit(what string) {
	if len(p) == 0 {
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %d problem(s)\n", what, len(p))
	for _, line := range p {
		fmt.Fprintf(os.Stderr, "  - %s\n", line)
	}
	os.Exit(1)
}
