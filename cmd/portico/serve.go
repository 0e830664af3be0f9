package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"portico"
	"portico/demo"
	"portico/mail"
	"portico/outbox"
	"portico/web"
)

func runServe(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) error {
	fs, cfg, err := flags("serve", "Run Portico: the web server, and the worker that delivers email.", env, stderr)
	if err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	log := newLogger(cfg, stderr)

	// Listen first: the printed address is then the real one, even for :0.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("--addr (PORTICO_ADDR): %w", err)
	}
	defer ln.Close()
	if strings.HasSuffix(cfg.BaseURL, ":0") {
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		cfg.BaseURL = strings.TrimSuffix(cfg.BaseURL, "0") + port
	}

	if cfg.PprofAddr != "" {
		stop, err := startProfiler(cfg.PprofAddr, stdout, log)
		if err != nil {
			return err
		}
		defer stop()
	}

	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := db.Services()

	_, agencyErr := svc.Agency.Agency(ctx)
	notSetUp := portico.ErrorCode(agencyErr) == portico.ENOTFOUND
	if agencyErr != nil && !notSetUp {
		return agencyErr
	}
	if notSetUp && cfg.Demo {
		creds, err := demo.Load(ctx, db, demo.Options{Size: demo.SizeDemo, Seed: 1}, func(s string) { log.Info("demo data", "made", s) })
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		fmt.Fprintf(stdout, "Demo data loaded. Sign in to the console at /signin as %s, or to the client portal at /portal as %s; the password is %s\n",
			creds.Email, demo.PortalEmail, creds.Password)
		notSetUp = false
	}

	var sender outbox.Sender
	if cfg.SMTPURL != "" {
		smtp, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return fmt.Errorf("--smtp-url (PORTICO_SMTP_URL): %w", err)
		}
		sender = smtp
	}
	var workers sync.WaitGroup
	workerCtx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	defer func() { stopWorkers(); workers.Wait() }()
	if cfg.Delivery {
		w := outbox.New(svc.Outbox, sender, log)
		w.Routines = append(w.Routines, &outbox.Routine{Name: "housekeeping", Every: time.Hour, Run: db.Housekeep})
		// Each pass queues what is due of last week's reports; the store
		// makes sure a contact gets one a week, whichever instance runs it.
		w.Routines = append(w.Routines, &outbox.Routine{Name: "weekly report", Every: time.Hour, Run: func(ctx context.Context) error {
			_, err := svc.WeeklyReports.SendWeeklyReports(ctx)
			return err
		}})
		db.OnEnqueue(w.Wake)
		workers.Go(func() { w.Run(workerCtx) })
	}

	site, err := web.New(web.Options{Services: svc, Log: log, BaseURL: cfg.BaseURL, Ready: db.Ping})
	if err != nil {
		return err
	}
	srv := web.NewHTTPServer(cfg.Addr, site.Handler(), log)
	srv.RegisterOnShutdown(site.CloseStreams) // live-update streams would hold Shutdown open
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(stdout, "Portico is running at %s (%s database)\n", cfg.BaseURL, db.Engine())
	if cfg.SMTPURL == "" {
		fmt.Fprintln(stdout, "No mail server is set (PORTICO_SMTP_URL): emails are kept in the console's Outbox page.")
	}
	if notSetUp {
		token, err := svc.Agency.SetupToken(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Set up your agency here: %s/setup?token=%s\n", cfg.BaseURL, token)
	}

	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
		sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			return fmt.Errorf("shutdown: %w", err)
		}
	}
	return nil
}
