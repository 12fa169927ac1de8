// promrules checks the Prometheus alert rules and the Grafana dashboards with Prometheus's own code:
// the rule files through rulefmt (what Prometheus and promtool load them with: unknown fields, bad
// durations, duplicate rules and PromQL errors are refused), every dashboard query through the PromQL
// parser (Grafana's variables replaced by values of their kind first). It prints, as JSON, the metric
// names the rules and dashboards read, so a test can check that a running service exports each one.
//
//	go run ./cmd/promrules -rules ../../infra/prometheus/alerts.yml -dashboards ../../infra/grafana/dashboards
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

type report struct {
	Rules   int      `json:"rules"`
	Alerts  []string `json:"alerts"`
	Queries int      `json:"queries"`
	Metrics []string `json:"metrics"`
}

var promql = parser.NewParser(parser.Options{})

// Grafana's interval variables become a duration, any other variable a label value.
var (
	intervalVar = regexp.MustCompile(`\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}`)
	otherVar    = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_:]*\}|\$[A-Za-z_][A-Za-z0-9_]*`)
)

func metricNames(expr parser.Expr, into map[string]bool) {
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			name := vs.Name
			for _, m := range vs.LabelMatchers {
				if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
					name = m.Value
				}
			}
			if name != "" {
				into[name] = true
			}
		}
		return nil
	})
}

func checkRules(file string, into map[string]bool, out *report) []error {
	groups, errs := rulefmt.ParseFile(file, false, model.UTF8Validation, promql, slog.New(slog.DiscardHandler))
	if len(errs) > 0 {
		return errs
	}
	var problems []error
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			out.Rules++
			expr, err := promql.ParseExpr(r.Expr)
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: %s: %w", file, r.Alert+r.Record, err))
				continue
			}
			metricNames(expr, into)
			if r.Alert == "" {
				continue
			}
			out.Alerts = append(out.Alerts, r.Alert)
			// What an operator paging on it needs: how bad, what happened, where to look.
			if r.Labels["severity"] == "" {
				problems = append(problems, fmt.Errorf("%s: alert %s has no severity label", file, r.Alert))
			}
			if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
				problems = append(problems, fmt.Errorf("%s: alert %s needs summary and description annotations", file, r.Alert))
			}
		}
	}
	return problems
}

// queries finds every "expr" of a Grafana dashboard (panels, nested rows, targets), wherever it is.
func queries(v any, at string, found map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if s, ok := child.(string); ok && k == "expr" {
				found[at+"/"+k] = s
				continue
			}
			queries(child, at+"/"+k, found)
		}
	case []any:
		for i, child := range x {
			queries(child, fmt.Sprintf("%s/%d", at, i), found)
		}
	}
}

func checkDashboard(file string, into map[string]bool, out *report) []error {
	b, err := os.ReadFile(file)
	if err != nil {
		return []error{err}
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return []error{fmt.Errorf("%s: %w", file, err)}
	}
	found := map[string]string{}
	queries(doc, "", found)
	if len(found) == 0 {
		return []error{fmt.Errorf("%s: no queries", file)}
	}
	var problems []error
	for at, q := range found {
		out.Queries++
		q = intervalVar.ReplaceAllString(q, "5m")
		q = otherVar.ReplaceAllString(q, "x")
		expr, err := promql.ParseExpr(q)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s%s: %w", file, at, err))
			continue
		}
		metricNames(expr, into)
	}
	return problems
}

func main() {
	rules := flag.String("rules", "", "Prometheus rule file(s), comma-separated")
	dashboards := flag.String("dashboards", "", "directory of Grafana dashboard JSON files")
	flag.Parse()
	if *rules == "" && *dashboards == "" {
		fmt.Fprintln(os.Stderr, "usage: promrules -rules alerts.yml[,more.yml] -dashboards dir")
		os.Exit(2)
	}
	names := map[string]bool{}
	out := report{Alerts: []string{}}
	var problems []error
	if *rules != "" {
		for _, f := range strings.Split(*rules, ",") {
			problems = append(problems, checkRules(f, names, &out)...)
		}
	}
	if *dashboards != "" {
		files, _ := filepath.Glob(filepath.Join(*dashboards, "*.json"))
		if len(files) == 0 {
			problems = append(problems, fmt.Errorf("%s: no dashboard JSON files", *dashboards))
		}
		for _, f := range files {
			problems = append(problems, checkDashboard(f, names, &out)...)
		}
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	for n := range names {
		out.Metrics = append(out.Metrics, n)
	}
	sort.Strings(out.Metrics)
	sort.Strings(out.Alerts)
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}
