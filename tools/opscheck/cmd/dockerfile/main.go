// Command dockerfile checks infra/docker/service.Dockerfile with BuildKit's own Dockerfile parser and
// its lint rules (the checks of `docker build --check`), once per service of services/ with that
// service's build args, then the platform's rules for the image every service runs in: Node 24 slim,
// production dependencies only, a non-root user, a HEALTHCHECK on /healthz, tini as PID 1 in exec form
// so SIGTERM reaches node, and a .dockerignore keeping modules, secrets and git out of the context.
// Base images are not pulled: lint runs offline with an empty image config for every FROM.
//
//	dockerfile -root <repository root>   (default: the current directory)
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/patternmatcher/ignorefile"
	"github.com/opencontainers/go-digest"

	"github.com/lto-mantova/platform/tools/opscheck/internal/repo"
)

const (
	dockerfilePath   = "infra/docker/service.Dockerfile"
	dockerignorePath = "infra/docker/service.Dockerfile.dockerignore"
)

func main() {
	root := flag.String("root", ".", "repository root")
	file := flag.String("file", dockerfilePath, "Dockerfile, relative to -root")
	flag.Parse()
	var problems repo.Problems
	if err := run(*root, *file, &problems); err != nil {
		fmt.Fprintln(os.Stderr, "dockerfile:", err)
		os.Exit(1)
	}
	problems.Exit(*file)
	fmt.Printf("%s: parsed and linted by BuildKit for every service, and the platform's image rules hold\n", *file)
}

// offlineResolver answers every image with an empty linux/amd64 config instead of asking a registry,
// and remembers which images the build would pull (a misspelt COPY --from stage is an image too).
type offlineResolver struct{ refs map[string]bool }

func (r offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	r.refs[ref] = true
	cfg := []byte(`{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":[]}}`)
	return ref, digest.FromBytes(cfg), cfg, nil
}

func run(root, file string, problems *repo.Problems) error {
	dt, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		return err
	}
	names, err := repo.Services(root)
	if err != nil {
		return err
	}

	// BuildKit's lint, per service, as `docker build --check --build-arg SERVICE=<name>` runs it.
	resolver := offlineResolver{refs: map[string]bool{}}
	var order []string
	found := map[string][]string{} // a warning -> the services it was found for
	for _, name := range names {
		args := map[string]string{"SERVICE": name}
		if name == "gateway" {
			args["PORTAL"] = "built"
		}
		sm := llb.NewSourceMap(nil, file, "Dockerfile", dt)
		sm.Definition = &llb.Definition{}
		res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
			Config:       dockerui.Config{BuildArgs: args},
			SourceMap:    sm,
			MetaResolver: resolver,
		})
		if err != nil {
			return fmt.Errorf("lint (SERVICE=%s): %w", name, err)
		}
		if res.Error != nil {
			problems.Addf("SERVICE=%s: BuildKit cannot build it: %s", name, res.Error.Message)
		}
		for _, w := range res.Warnings {
			line := int32(0)
			if w.Location != nil && len(w.Location.Ranges) > 0 {
				line = w.Location.Ranges[0].Start.Line
			}
			key := fmt.Sprintf("line %d: %s: %s (%s)", line, w.RuleName, w.Detail, w.URL)
			if found[key] == nil {
				order = append(order, key)
			}
			found[key] = append(found[key], name)
		}
		if _, err := os.Stat(filepath.Join(root, "services", name, "package.json")); err != nil {
			problems.Addf("services/%s has no package.json: the image's npm ci cannot install it", name)
		}
	}

	for _, key := range order {
		problems.Addf("%s [SERVICE=%s]", key, strings.Join(found[key], ","))
	}
	for ref := range resolver.refs {
		if !strings.Contains(ref, "node:24") {
			problems.Addf("the build would pull %q: every stage is Node 24 or another stage of the file (a misspelt stage name?)", ref)
		}
	}

	ast, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		return err
	}
	for _, w := range ast.Warnings {
		problems.Addf("parser: %s", w.Short)
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return err
	}
	checkImageRules(stages, metaArgs, problems)
	checkDockerignore(root, problems)
	return nil
}

func checkImageRules(stages []instructions.Stage, metaArgs []instructions.ArgCommand, problems *repo.Problems) {
	if len(stages) < 2 {
		problems.Addf("must be multi-stage (dependencies and build apart from the runtime image)")
		return
	}
	nodeImage := ""
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Key == "NODE_IMAGE" && kv.Value != nil {
				nodeImage = *kv.Value
			}
		}
	}
	byName := map[string]instructions.Stage{}
	for _, s := range stages {
		byName[strings.ToLower(s.Name)] = s
	}
	final := stages[len(stages)-1]
	// The runtime's base, followed through the stages it is built FROM.
	base := final.BaseName
	for i := 0; i < len(stages); i++ {
		s, ok := byName[strings.ToLower(base)]
		if !ok {
			break
		}
		base = s.BaseName
	}
	base = strings.ReplaceAll(base, "${NODE_IMAGE}", nodeImage)
	if !strings.HasPrefix(base, "node:24") || !strings.Contains(base, "slim") {
		problems.Addf("the runtime image must be based on Node 24 slim (node:24-slim), not %q", base)
	}

	omitDev := false
	for _, s := range stages {
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok {
				line := strings.Join(r.CmdLine, " ")
				if strings.Contains(line, "npm ci") && strings.Contains(line, "--omit=dev") && strings.Contains(line, "--workspace") {
					omitDev = omitDev || s.Name != final.Name
				}
			}
		}
	}
	if !omitDev {
		problems.Addf("a build stage must install only the service's workspace without dev dependencies (npm ci --omit=dev --workspace ...)")
	}

	var user, health, entrypoint, cmd bool
	lastRun := -1
	userAt := -1
	for i, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.RunCommand:
			lastRun = i
		case *instructions.UserCommand:
			user = true
			userAt = i
			if u := strings.SplitN(c.User, ":", 2)[0]; u == "root" || u == "0" || u == "" {
				problems.Addf("USER %s: the service must not run as root", c.User)
			}
		case *instructions.HealthCheckCommand:
			health = true
			test := strings.Join(c.Health.Test, " ")
			if !strings.Contains(test, "/healthz") {
				problems.Addf("HEALTHCHECK must probe /healthz, not %q", test)
			}
			if c.Health.Test[0] != "CMD" {
				problems.Addf("HEALTHCHECK must use the exec form (CMD [...]), without a shell")
			}
		case *instructions.EntrypointCommand:
			entrypoint = true
			if c.PrependShell {
				problems.Addf("ENTRYPOINT must use the exec form: in shell form /bin/sh is PID 1 and SIGTERM never reaches node")
			} else if len(c.CmdLine) < 3 || !strings.HasSuffix(c.CmdLine[0], "tini") || !contains(c.CmdLine, "node") {
				problems.Addf("ENTRYPOINT must start node under tini (it forwards signals and reaps zombies), not %q", c.CmdLine)
			}
		case *instructions.CmdCommand:
			cmd = true
			if c.PrependShell {
				problems.Addf("CMD must use the exec form")
			}
		}
	}
	if !user {
		problems.Addf("the runtime stage must set a non-root USER")
	} else if userAt < lastRun {
		problems.Addf("USER must come after the runtime stage's last RUN")
	}
	if !health {
		problems.Addf("the runtime stage must have a HEALTHCHECK on /healthz")
	}
	if !entrypoint || !cmd {
		problems.Addf("the runtime stage must have an exec-form ENTRYPOINT (tini, node) and CMD")
	}
}

func checkDockerignore(root string, problems *repo.Problems) {
	f, err := os.Open(filepath.Join(root, dockerignorePath))
	if err != nil {
		problems.Addf("%s: %v (the build context would carry node_modules, .git and .env)", dockerignorePath, err)
		return
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		problems.Addf("%s: %v", dockerignorePath, err)
		return
	}
	for _, want := range []string{"**/node_modules", ".git", ".env", ".data"} {
		if !contains(patterns, want) {
			problems.Addf("%s: must exclude %s", dockerignorePath, want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
