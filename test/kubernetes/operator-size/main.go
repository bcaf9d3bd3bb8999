// Prints, for each JSON PrometheusRule spec read from stdin (one per line), the byte length of
// the rule file the Prometheus Operator renders from it: ghodss/yaml.Marshal, as in its
// GenerateContent (pkg/prometheus/rules.go), whose result it refuses over 524,288 bytes.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/ghodss/yaml"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64<<20), 64<<20)
	for in.Scan() {
		var spec interface{}
		if err := json.Unmarshal(in.Bytes(), &spec); err != nil {
			panic(err)
		}
		out, err := yaml.Marshal(spec)
		if err != nil {
			panic(err)
		}
		fmt.Println(len(out))
	}
}
