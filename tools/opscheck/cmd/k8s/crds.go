package main

// The MongoDB Community operator's module is required (and its hash pinned in go.sum) for the
// MongoDBCommunity CustomResourceDefinition it ships in config/crd/bases: the check reads it from the
// module cache (`go list -m -f '{{.Dir}}' github.com/mongodb/mongodb-kubernetes-operator`).
import _ "github.com/mongodb/mongodb-kubernetes-operator/api/v1"
