// Command hookd serves the webhook endpoint: WEBHOOK_SECRETS=s1[,s2] hookd -addr :8080
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"

	"example.com/billinghooks/webhook"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	var secrets [][]byte
	for _, s := range strings.Split(os.Getenv("WEBHOOK_SECRETS"), ",") {
		if s != "" {
			secrets = append(secrets, []byte(s))
		}
	}
	if len(secrets) == 0 {
		log.Fatal("hookd: set WEBHOOK_SECRETS")
	}
	handler := &webhook.Handler{
		Verifier: &webhook.Verifier{Secrets: secrets},
		OnEvent: func(_ context.Context, e webhook.Event) error {
			log.Printf("event %s %s", e.ID, e.Type)
			return nil
		},
	}
	http.Handle("/webhooks/payments", handler)
	log.Fatal(http.ListenAndServe(*addr, nil))
}
