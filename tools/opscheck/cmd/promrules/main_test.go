package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRepositoryRulesAndDashboardsPass(t *testing.T) {
	names := map[string]bool{}
	out := report{}
	errs := checkRules("../../../../infra/prometheus/alerts.yml", names, &out)
	files, _ := filepath.Glob("../../../../infra/grafana/dashboards/*.json")
	if len(files) == 0 {
		t.Fatal("no dashboards")
	}
	for _, f := range files {
		errs = append(errs, checkDashboard(f, names, &out)...)
	}
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if !names["lto_outbox_oldest_pending_age_seconds"] || !names["lto_consumer_lag"] {
		t.Fatalf("metrics not found: %v", names)
	}
}

func TestRefusesBrokenRules(t *testing.T) {
	cases := map[string]string{
		"bad PromQL":    "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: sum(rate(x[5m])\n    labels: {severity: warning}\n    annotations: {summary: s, description: d}\n",
		"bad duration":  "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    for: 5 minutes\n    labels: {severity: warning}\n    annotations: {summary: s, description: d}\n",
		"unknown field": "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    severity: warning\n",
		"no severity":   "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations: {summary: s, description: d}\n",
	}
	for name, content := range cases {
		errs := checkRules(write(t, "r.yml", content), map[string]bool{}, &report{})
		if len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestRefusesBrokenDashboardQuery(t *testing.T) {
	p := write(t, "d.json", `{"panels":[{"targets":[{"expr":"rate(x{service=~\"$service\"}[$__rate_interval]"}]}]}`)
	errs := checkDashboard(p, map[string]bool{}, &report{})
	if len(errs) == 0 || !strings.Contains(errs[0].Error(), "d.json") {
		t.Fatalf("accepted or unnamed: %v", errs)
	}
	ok := write(t, "ok.json", `{"panels":[{"targets":[{"expr":"sum by (route) (rate(x_total{service=~\"$service\"}[$__rate_interval]))"}]}]}`)
	names := map[string]bool{}
	if errs := checkDashboard(ok, names, &report{}); len(errs) > 0 || !names["x_total"] {
		t.Fatalf("refused a valid query: %v %v", errs, names)
	}
}
