// Command compose validates docker-compose.yml with compose-go (the loader `docker compose` itself uses:
// the compose-spec JSON schema, interpolation, the model's consistency), then the platform's rules:
// every service of services/ runs, with a healthcheck, its own database user, production mode and no
// default secret; only the gateway is published; dependencies wait on health; data is in named volumes;
// topics, users and scrape targets cover every service.
//
//	compose -root <repository root>   (default: the current directory)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"

	"github.com/lto-mantova/platform/tools/opscheck/internal/repo"
)

const (
	composeFile = "docker-compose.yml"
	envExample  = ".env.example"
	dockerfile  = "infra/docker/service.Dockerfile"
)

func main() {
	root := flag.String("root", ".", "repository root (holds docker-compose.yml, .env.example, services/)")
	file := flag.String("file", composeFile, "compose file, relative to -root")
	dump := flag.Bool("dump", false, "print the model as loaded (like `docker compose config`, in JSON)")
	envFile := flag.String("env-file", envExample, "the variables to load the file with, relative to -root (empty ones get stand-ins)")
	flag.Parse()
	var problems repo.Problems
	if err := run(*root, *file, *envFile, *dump, &problems); err != nil {
		fmt.Fprintln(os.Stderr, "compose:", err)
		os.Exit(1)
	}
	problems.Exit(*file)
	out := os.Stdout
	if *dump {
		out = os.Stderr // stdout is the model
	}
	fmt.Fprintf(out, "%s: valid (compose-spec schema, interpolation with %s) and the platform's rules hold\n", *file, *envFile)
}

func load(ctx context.Context, root, file string, env []string) (*types.Project, error) {
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, file)},
		cli.WithWorkingDirectory(root),
		cli.WithEnv(env),
		cli.WithName("lto"),
		cli.WithResolvedPaths(false),
	)
	if err != nil {
		return nil, err
	}
	return opts.LoadProject(ctx)
}

var requiredVar = regexp.MustCompile(`\$\{([A-Z0-9_]+):\?`)

func run(root, file, envFile string, dump bool, problems *repo.Problems) error {
	ctx := context.Background()
	raw, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return err
	}

	// 1. Without any variable the file must not load: every secret is a required variable, none has a
	// default. (Neither the machine's environment nor a developer's .env is read.)
	if _, err := load(ctx, root, file, nil); err == nil {
		problems.Addf("loads with no variable set: secrets must be required variables (${VAR:?message}), not defaults")
	} else if !strings.Contains(err.Error(), "required variable") {
		return fmt.Errorf("loading %s without variables failed for another reason than a required variable: %w", file, err)
	}

	// 2. .env.example names every required variable, and only variables the file uses.
	required := map[string]bool{}
	for _, m := range requiredVar.FindAllStringSubmatch(string(raw), -1) {
		required[m[1]] = true
	}
	example, err := readEnvFile(filepath.Join(root, envExample))
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(required) {
		if _, ok := example[name]; !ok {
			problems.Addf("%s is required by %s but missing from %s", name, file, envExample)
		}
	}
	// A variable .env.example leaves empty is the operator's to give: only ever ${VAR:?...}, no default.
	for _, name := range sortedKeys(example) {
		if example[name] != "" {
			continue
		}
		uses := regexp.MustCompile(`\$\{`+name+`([^A-Z0-9_]{0,2})`).FindAllStringSubmatch(string(raw), -1)
		for _, use := range uses {
			if use[1] != ":?" {
				problems.Addf("%s: has a default (${%s%s...}); a secret must be required (${%s:?message})", name, name, use[1], name)
			}
		}
	}
	for _, name := range sortedKeys(example) {
		if !strings.Contains(string(raw), "${"+name) {
			problems.Addf("%s sets %s, which %s never uses", envExample, name, file)
		}
	}

	// 3. With .env.example's values (or -env-file's) the file loads: schema, interpolation and
	// consistency checks. The secrets are empty in .env.example (compose refuses to start until an
	// operator sets them): stand-ins here.
	if envFile != envExample {
		if example, err = readEnvFile(filepath.Join(root, envFile)); err != nil {
			return err
		}
	}
	var env []string
	for _, name := range sortedKeys(example) {
		if example[name] == "" {
			example[name] = "opscheck-" + strings.ToLower(strings.ReplaceAll(name, "_", "-"))
		}
		env = append(env, name+"="+example[name])
	}
	project, err := load(ctx, root, file, env)
	if err != nil {
		return fmt.Errorf("%s does not load with %s: %w", file, envExample, err)
	}

	if dump {
		out, err := project.MarshalJSON()
		if err != nil {
			return err
		}
		fmt.Println(string(out))
	}

	names, err := repo.Services(root)
	if err != nil {
		return err
	}
	checkServices(project, names, example, problems)
	checkInfra(project, problems)
	checkMongoInit(root, names, project, problems)
	checkTopics(root, names, problems)
	checkPrometheus(root, names, project, problems)
	return nil
}

func checkServices(p *types.Project, names []string, example map[string]string, problems *repo.Problems) {
	users := map[string]string{}
	databases := map[string]string{}
	for _, name := range names {
		s, ok := p.Services[name]
		if !ok {
			problems.Addf("services/%s is not a service of the compose file", name)
			continue
		}
		if s.Build == nil || filepath.ToSlash(s.Build.Dockerfile) != dockerfile || deref(s.Build.Args["SERVICE"]) != name {
			problems.Addf("%s: must be built from %s with build arg SERVICE=%s", name, dockerfile, name)
		}
		if !healthy(s) {
			problems.Addf("%s: has no healthcheck", name)
		} else if !strings.Contains(strings.Join(s.HealthCheck.Test, " "), "/readyz") {
			problems.Addf("%s: its healthcheck must ask /readyz (dependants wait until it serves)", name)
		}
		env := func(k string) string { return deref(s.Environment[k]) }
		if env("NODE_ENV") != "production" {
			problems.Addf("%s: NODE_ENV must be production (refuses development keys and defaults)", name)
		}
		if env("HOST") != "0.0.0.0" {
			problems.Addf("%s: HOST must be 0.0.0.0 in a container", name)
		}
		if env("OTEL_EXPORTER_OTLP_ENDPOINT") == "" {
			problems.Addf("%s: OTEL_EXPORTER_OTLP_ENDPOINT must point at the collector", name)
		}
		db := env("MONGO_DB")
		mongoURL, err := url.Parse(env("MONGO_URL"))
		if err != nil || mongoURL.User == nil || db == "" {
			problems.Addf("%s: MONGO_URL must carry the service's own user, MONGO_DB its own database", name)
		} else {
			user := mongoURL.User.Username()
			pwd, _ := mongoURL.User.Password()
			if other, dup := users[user]; dup {
				problems.Addf("%s: database user %q is also %s's", name, user, other)
			}
			users[user] = name
			if other, dup := databases[db]; dup {
				problems.Addf("%s: database %q is also %s's", name, db, other)
			}
			databases[db] = name
			if mongoURL.Query().Get("authSource") != db {
				problems.Addf("%s: MONGO_URL must authenticate against the service's database (authSource=%s)", name, db)
			}
			if mongoURL.Query().Get("replicaSet") == "" {
				problems.Addf("%s: MONGO_URL must name the replica set", name)
			}
			if pwd == "" || !isExampleValue(pwd, example) {
				problems.Addf("%s: the database password must come from a required variable of %s", name, envExample)
			}
		}
		for _, dep := range []string{"mongo-init", "kafka-init"} {
			if d, ok := s.DependsOn[dep]; !ok || d.Condition != types.ServiceConditionCompletedSuccessfully {
				problems.Addf("%s: must depend on %s with condition service_completed_successfully", name, dep)
			}
		}
	}
	if gw, ok := p.Services["gateway"]; ok {
		if deref(gw.Build.Args["PORTAL"]) != "built" {
			problems.Addf("gateway: must be built with PORTAL=built (it serves the portal)")
		}
		public := false
		for _, port := range gw.Ports {
			public = public || (port.Target == 8080 && port.HostIP == "")
		}
		if !public {
			problems.Addf("gateway: must publish its HTTP port 8080 (the platform's one public port)")
		}
		for _, name := range names {
			if name == "gateway" {
				continue
			}
			if d, ok := gw.DependsOn[name]; !ok || d.Condition != types.ServiceConditionHealthy {
				problems.Addf("gateway: must wait for %s to be healthy before opening the public port", name)
			}
		}
	}
	for name := range p.Services {
		if !contains(names, name) && strings.Contains(imageOrBuild(p.Services[name]), "service.Dockerfile") {
			problems.Addf("%s: built from the service Dockerfile but services/%s is not a service", name, name)
		}
	}
}

func checkInfra(p *types.Project, problems *repo.Problems) {
	want := map[string]string{"mongo": "mongo:8.", "kafka": "apache/kafka:3.9.", "jaeger": "jaegertracing/", "prometheus": "prom/prometheus:"}
	for name, prefix := range want {
		s, ok := p.Services[name]
		if !ok || !strings.HasPrefix(s.Image, prefix) {
			problems.Addf("%s: must run the image %s*", name, prefix)
		}
	}
	if s, ok := p.Services["otel-collector"]; !ok || !healthy(s) {
		problems.Addf("otel-collector: must run, with a healthcheck")
	}
	if s, ok := p.Services["mongo"]; ok && !(contains(s.Command, "--replSet") && contains(s.Command, "--keyFile")) {
		problems.Addf("mongo: must run as an authenticated replica set (--replSet, --keyFile)")
	}
	if s, ok := p.Services["kafka"]; ok {
		if !strings.Contains(deref(s.Environment["KAFKA_PROCESS_ROLES"]), "controller") {
			problems.Addf("kafka: must run in KRaft mode (KAFKA_PROCESS_ROLES broker,controller)")
		}
	}
	named := map[string]bool{"mongo": false, "kafka": false, "prometheus": false}
	for name := range named {
		for _, v := range p.Services[name].Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source != "" {
				named[name] = true
			}
		}
		if !named[name] {
			problems.Addf("%s: its data must be in a named volume", name)
		}
	}
	for _, name := range sortedKeys(p.Services) {
		s := p.Services[name]
		oneShot := s.Restart == "no" || s.Restart == ""
		if !oneShot && !healthy(s) {
			problems.Addf("%s: a long-running service needs a healthcheck", name)
		}
		for dep, d := range s.DependsOn {
			target := p.Services[dep]
			switch d.Condition {
			case types.ServiceConditionHealthy:
				if !healthy(target) {
					problems.Addf("%s: waits for %s to be healthy, which has no healthcheck", name, dep)
				}
			case types.ServiceConditionCompletedSuccessfully:
				if target.Restart != "no" {
					problems.Addf("%s: waits for %s to complete, which is not a one-shot job (restart: \"no\")", name, dep)
				}
			default:
				problems.Addf("%s: depends on %s without a health or completion condition", name, dep)
			}
		}
		for _, port := range s.Ports {
			if name != "gateway" && port.HostIP != "127.0.0.1" {
				problems.Addf("%s: publishes %d on every interface; only the gateway may (bind others to 127.0.0.1)", name, port.Target)
			}
		}
	}
}

// checkMongoInit: the init script creates every service's user on the database its MONGO_URL names.
func checkMongoInit(root string, names []string, p *types.Project, problems *repo.Problems) {
	raw, err := os.ReadFile(filepath.Join(root, "infra/compose/mongo-init.js"))
	if err != nil {
		problems.Addf("infra/compose/mongo-init.js: %v", err)
		return
	}
	for _, name := range names {
		s, ok := p.Services[name]
		if !ok {
			continue
		}
		db := deref(s.Environment["MONGO_DB"])
		entry := regexp.MustCompile(`"?` + regexp.QuoteMeta(name) + `"?\s*:\s*\[\s*"` + regexp.QuoteMeta(db) + `"\s*,\s*"([A-Z_]+)"`)
		m := entry.FindStringSubmatch(string(raw))
		if m == nil {
			problems.Addf("infra/compose/mongo-init.js: creates no user %s on %s", name, db)
			continue
		}
		if _, ok := p.Services["mongo-init"].Environment[m[1]]; !ok {
			problems.Addf("mongo-init: is not given %s (the password of %s)", m[1], name)
		}
	}
}

// checkTopics: kafka-init creates every event topic of the contracts and every consumer's DLQ, with
// a retention that keeps the event history.
func checkTopics(root string, names []string, problems *repo.Problems) {
	registry, err := os.ReadFile(filepath.Join(root, "packages/contracts/src/registry.ts"))
	if err != nil {
		problems.Addf("packages/contracts/src/registry.ts: %v", err)
		return
	}
	script, err := os.ReadFile(filepath.Join(root, "infra/compose/kafka-topics.sh"))
	if err != nil {
		problems.Addf("infra/compose/kafka-topics.sh: %v", err)
		return
	}
	for _, topic := range regexp.MustCompile(`"(lto\.[a-z]+\.events\.v\d+)"`).FindAllStringSubmatch(string(registry), -1) {
		if !strings.Contains(string(script), topic[1]) {
			problems.Addf("kafka-topics.sh: does not create %s", topic[1])
		}
	}
	if !strings.Contains(string(script), "retention.ms=-1") {
		problems.Addf("kafka-topics.sh: event topics must keep their history (retention.ms=-1) for rebuilds")
	}
	for _, name := range names {
		main, err := os.ReadFile(filepath.Join(root, "services", name, "src/main.ts"))
		if err == nil && strings.Contains(string(main), "subscriptions") && !strings.Contains(string(script), "lto-"+name) {
			problems.Addf("kafka-topics.sh: creates no dead-letter topic for consumer group lto-%s", name)
		}
	}
}

// checkPrometheus: every service's HTTP port (its METRICS_PORT when set) is a scrape target on /metrics.
func checkPrometheus(root string, names []string, p *types.Project, problems *repo.Problems) {
	raw, err := os.ReadFile(filepath.Join(root, "infra/compose/prometheus.yml"))
	if err != nil {
		problems.Addf("infra/compose/prometheus.yml: %v", err)
		return
	}
	var cfg struct {
		ScrapeConfigs []struct {
			MetricsPath   string `yaml:"metrics_path"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		problems.Addf("infra/compose/prometheus.yml: %v", err)
		return
	}
	targets := map[string]bool{}
	for _, sc := range cfg.ScrapeConfigs {
		if sc.MetricsPath != "" && sc.MetricsPath != "/metrics" {
			continue
		}
		for _, st := range sc.StaticConfigs {
			for _, t := range st.Targets {
				targets[t] = true
			}
		}
	}
	for _, name := range names {
		s, ok := p.Services[name]
		if !ok {
			continue
		}
		// A service with METRICS_PORT serves /metrics there only (the gateway: its HTTP port is published),
		// and that port must stay inside the network.
		port := deref(s.Environment["HTTP_PORT"])
		if metrics := deref(s.Environment["METRICS_PORT"]); metrics != "" {
			port = metrics
			for _, published := range s.Ports {
				if fmt.Sprint(published.Target) == metrics {
					problems.Addf("%s: METRICS_PORT %s is published; /metrics must be reached only inside the network", name, metrics)
				}
			}
		}
		target := name + ":" + port
		if !targets[target] {
			problems.Addf("prometheus.yml: does not scrape %s/metrics", target)
		}
	}
}

func healthy(s types.ServiceConfig) bool {
	return s.HealthCheck != nil && !s.HealthCheck.Disable && len(s.HealthCheck.Test) > 0 && s.HealthCheck.Test[0] != "NONE"
}

func imageOrBuild(s types.ServiceConfig) string {
	if s.Build != nil {
		return s.Build.Dockerfile
	}
	return s.Image
}

func isExampleValue(v string, example map[string]string) bool {
	for _, e := range example {
		if e == v {
			return true
		}
	}
	return false
}

func readEnvFile(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s is missing: it documents every variable the compose file needs", filepath.Base(path))
	}
	if err != nil {
		return nil, err
	}
	vars := map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s: %q is not NAME=value", path, line)
		}
		vars[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `'"`)
	}
	return vars, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
