//! The validating mock server of the release API (see `cce_release_axum::mock`).
//!
//! ```text
//! cargo run -p cce-release-axum --example mock -- [--addr 127.0.0.1:8089] [--strict] [--http-statuses]
//! ```
//!
//! It listens on loopback unless `--addr` names another address, prints
//! `listening on http://ADDR` on standard error once it accepts connections (`--addr
//! 127.0.0.1:0` picks a free port), and stops on Ctrl-C. Bodies are capped at 12 MiB and must
//! arrive within 30 seconds (408 otherwise).
#![allow(clippy::print_stderr)] // a program: it says where it listens

use std::net::SocketAddr;
use std::sync::Arc;

use cce_release_axum::mock::{Limits, Store, router};
use cce_release_axum::{ReleaseApi, StatusPolicy};

const USAGE: &str = "usage: mock [--addr IP:PORT] [--strict] [--http-statuses]
  --addr IP:PORT     where to listen (default 127.0.0.1:8089; port 0 picks a free one)
  --strict           warnings are errors (unknown members, loose versions, ineffective parameters)
  --http-statuses    405 with Allow and 415, rather than the provider's 404 and 400";

fn main() -> std::process::ExitCode {
    let mut addr: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8089));
    // A body that does not arrive within 30 seconds is answered 408.
    let mut api = ReleaseApi::new().body_timeout(std::time::Duration::from_secs(30));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => match args.next().and_then(|a| a.parse().ok()) {
                Some(a) => addr = a,
                None => return usage("--addr takes IP:PORT"),
            },
            "--strict" => api = api.strict(true),
            "--http-statuses" => api = api.statuses(StatusPolicy::Http),
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return std::process::ExitCode::SUCCESS;
            }
            _ => return usage("unknown argument"),
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("mock: cannot start: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("mock: cannot listen on {addr}: {e}");
                return std::process::ExitCode::from(2);
            }
        };
        let local = listener.local_addr().unwrap_or(addr);
        let app = router(api, Arc::new(Store::new(Limits::default())));
        eprintln!("listening on http://{local}");
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
        {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("mock: {e}");
                std::process::ExitCode::from(2)
            }
        }
    })
}

fn usage(problem: &str) -> std::process::ExitCode {
    eprintln!("mock: {problem}\n{USAGE}");
    std::process::ExitCode::from(2)
}
