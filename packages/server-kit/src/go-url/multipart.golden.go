//go:build ignore

// Prints what mime/multipart Reader.ReadForm answers for each case read on
// stdin as JSON [{name, boundary, body (base64), maxMemory}]: its error, or
// r.MultipartForm.Value as [key, value] pairs (keys sorted, each key's
// values in order) and how many file parts it kept. multipart.golden.mjs
// runs it (`go run multipart.golden.go`, stdlib only).
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"os"
	"sort"
)

type result struct {
	Name   string     `json:"name"`
	Error  *string    `json:"error,omitempty"`
	Values [][2][]byte `json:"values,omitempty"`
	Files  int        `json:"files"`
}

func main() {
	var cases []struct {
		Name      string `json:"name"`
		Boundary  string `json:"boundary"`
		Body      []byte `json:"body"`
		MaxMemory int64  `json:"maxMemory"`
	}
	in, err := io.ReadAll(os.Stdin)
	if err == nil {
		err = json.Unmarshal(in, &cases)
	}
	if err != nil {
		panic(err)
	}
	out := []result{}
	for _, c := range cases {
		res := result{Name: c.Name}
		maxMemory := c.MaxMemory
		if maxMemory == 0 {
			maxMemory = 32 << 20
		}
		form, err := multipart.NewReader(bytes.NewReader(c.Body), c.Boundary).ReadForm(maxMemory)
		if err != nil {
			text := err.Error()
			res.Error = &text
		} else {
			keys := []string{}
			for key := range form.Value {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			for _, key := range keys {
				for _, value := range form.Value[key] {
					res.Values = append(res.Values, [2][]byte{[]byte(key), []byte(value)})
				}
			}
			for _, files := range form.File {
				res.Files += len(files)
			}
			form.RemoveAll()
		}
		out = append(out, res)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
