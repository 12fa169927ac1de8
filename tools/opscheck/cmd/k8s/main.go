// Command k8s renders kustomize overlays with kustomize's own library (krusty, as `kustomize build`)
// and checks every rendered object offline, as an API server would on create:
//   - built-in kinds: strict decoding into client-go's typed objects (unknown or duplicate fields, wrong
//     types and unknown apiVersion/kind are errors);
//   - custom resources: the apiextensions-apiserver's own OpenAPI validation and pruning against the
//     CustomResourceDefinitions given with -crds (a field the schema does not know is an error).
//
// Usage: k8s -crds DIR [-crds DIR ...] [-out rendered.json] OVERLAY...
// It prints one line per overlay and each problem; exit 1 when any object is invalid.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

type crdVersion struct {
	validator  apiservervalidation.SchemaValidator
	structural *structuralschema.Structural
}

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Rendered is what -out writes: each overlay's objects, for the repository's own checks.
type Rendered struct {
	Overlay string           `json:"overlay"`
	Objects []map[string]any `json:"objects"`
}

func main() {
	var crdDirs stringList
	flag.Var(&crdDirs, "crds", "a directory of CustomResourceDefinition YAML files (repeatable)")
	out := flag.String("out", "", "write the rendered objects of every overlay here (JSON)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: k8s -crds DIR [-crds DIR ...] [-out FILE] OVERLAY...")
		os.Exit(2)
	}
	crds, err := loadCRDs(crdDirs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	failed := false
	var rendered []Rendered
	for _, overlay := range flag.Args() {
		objects, err := render(overlay)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: kustomize build failed: %v\n", overlay, err)
			failed = true
			continue
		}
		problems := 0
		kinds := map[string]int{}
		for _, obj := range objects {
			kind, _ := obj["kind"].(string)
			kinds[kind]++
			for _, p := range validate(obj, crds) {
				problems++
				fmt.Printf("%s: %s %s: %s\n", overlay, kind, name(obj), p)
			}
		}
		if problems > 0 {
			failed = true
		}
		fmt.Printf("%s: %d objects (%s), %d problems\n", overlay, len(objects), summary(kinds), problems)
		rendered = append(rendered, Rendered{Overlay: overlay, Objects: objects})
	}
	if *out != "" {
		data, err := json.Marshal(rendered)
		if err == nil {
			err = os.WriteFile(*out, data, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if failed {
		os.Exit(1)
	}
}

func render(dir string) ([]map[string]any, error) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, err
	}
	var objects []map[string]any
	for _, r := range resMap.Resources() {
		m, err := r.Map()
		if err != nil {
			return nil, err
		}
		objects = append(objects, m)
	}
	return objects, nil
}

// loadCRDs reads every CustomResourceDefinition in the directories, keyed by "group/version, Kind".
func loadCRDs(dirs []string) (map[string]crdVersion, error) {
	crds := map[string]crdVersion{}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no CustomResourceDefinition (*.yaml) there", dir)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				return nil, err
			}
			for _, doc := range strings.Split(string(data), "\n---") {
				if strings.TrimSpace(doc) == "" {
					continue
				}
				var crd apiextensionsv1.CustomResourceDefinition
				if err := yaml.UnmarshalStrict([]byte(doc), &crd); err != nil {
					return nil, fmt.Errorf("%s: %w", file, err)
				}
				if crd.Kind != "CustomResourceDefinition" {
					continue
				}
				for _, v := range crd.Spec.Versions {
					if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
						return nil, fmt.Errorf("%s: %s %s has no schema", file, crd.Name, v.Name)
					}
					var internal apiextensionsinternal.JSONSchemaProps
					if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
						return nil, fmt.Errorf("%s: %w", file, err)
					}
					validator, _, err := apiservervalidation.NewSchemaValidator(&internal)
					if err != nil {
						return nil, fmt.Errorf("%s: %s %s: %w", file, crd.Name, v.Name, err)
					}
					structural, err := structuralschema.NewStructural(&internal)
					if err != nil {
						return nil, fmt.Errorf("%s: %s %s is not a structural schema: %w", file, crd.Name, v.Name, err)
					}
					crds[crd.Spec.Group+"/"+v.Name+", "+crd.Spec.Names.Kind] = crdVersion{validator, structural}
				}
			}
		}
	}
	return crds, nil
}

var strictDecoder = serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()

func validate(obj map[string]any, crds map[string]crdVersion) []string {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	if crd, ok := crds[apiVersion+", "+kind]; ok {
		var problems []string
		for _, e := range apiservervalidation.ValidateCustomResource(nil, obj, crd.validator) {
			problems = append(problems, e.Error())
		}
		// The API server drops fields its schema does not know: here they are errors.
		copied := deepCopy(obj)
		opts := structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}
		for _, p := range pruning.PruneWithOptions(copied, crd.structural, true, opts) {
			problems = append(problems, "unknown field "+p)
		}
		return problems
	}
	if strings.Contains(apiVersion, ".") && !strings.HasSuffix(strings.SplitN(apiVersion, "/", 2)[0], ".k8s.io") {
		return []string{"no CustomResourceDefinition given for " + apiVersion + " " + kind}
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return []string{err.Error()}
	}
	if _, _, err := strictDecoder.Decode(data, nil, nil); err != nil {
		return []string{err.Error()}
	}
	return nil
}

func deepCopy(obj map[string]any) map[string]any {
	data, _ := json.Marshal(obj)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out
}

func name(obj map[string]any) string {
	meta, _ := obj["metadata"].(map[string]any)
	n, _ := meta["name"].(string)
	return n
}

func summary(kinds map[string]int) string {
	keys := make([]string, 0, len(kinds))
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
	}
	return strings.Join(parts, ", ")
}
