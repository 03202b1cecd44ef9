//! Payloads for the benchmarks, generated deterministically.

#![allow(dead_code)]

use serde_json::{Value, json};

/// The provider's example request (with its two unknown members).
pub const EXAMPLE: &[u8] = include_bytes!("../../examples/create-release.json");

/// A body with seven findings of seven different codes.
pub const SEVEN_FINDINGS: &[u8] = include_bytes!("../data/seven-findings.json");

/// Realistic Helm values for an umbrella chart: one block per subchart (image, resources,
/// probes, env, annotations, a config file), repeated until the serialized values pass
/// `target_bytes`.
pub fn large_values(target_bytes: usize) -> Value {
    let mut values = serde_json::Map::new();
    values.insert(
        "global".into(),
        json!({"imageRegistry": "swr.example.com", "storageClass": "csi-disk"}),
    );
    let mut size = 0;
    let mut i = 0usize;
    while size < target_bytes {
        let env: Vec<Value> = (0..12)
            .map(|k| json!({"name": format!("SETTING_{k}"), "value": format!("value-{i}-{k}")}))
            .collect();
        let config: String = (0..40)
            .map(|k| format!("key{k}.subkey = \"some configuration value {i} {k}\"\n"))
            .collect();
        let block = json!({
            "enabled": !i.is_multiple_of(7),
            "replicaCount": (i % 5) + 1,
            "image": {"repository": format!("team/service-{i}"), "tag": format!("1.{}.{}", i % 20, i % 9), "pullPolicy": "IfNotPresent"},
            "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 15},
            "podAnnotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            "nodeSelector": {"kubernetes.io/os": "linux"},
            "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}],
            "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                 "labelSelector": {"matchLabels": {"app": format!("service-{i}")}}}}]}},
            "extraEnv": env,
            "config": {"app.conf": config},
            "service": {"type": "ClusterIP", "ports": [{"name": "http", "port": 80, "targetPort": 8080}]},
            "autoscaling": {"enabled": false, "minReplicas": 1, "maxReplicas": 10, "targetCPU": 80.5},
        });
        size += serde_json::to_vec(&block).map_or(0, |v| v.len());
        values.insert(format!("service{i}"), block);
        i += 1;
    }
    Value::Object(values)
}

/// A valid create body whose `values` is about `target_bytes` of realistic Helm values.
pub fn large_body(target_bytes: usize) -> Vec<u8> {
    let body = json!({
        "chart_id": "e99a7e86-afdd-11eb-aca3-0255ac100b0e",
        "name": "platform",
        "namespace": "platform",
        "version": "12.4.0",
        "values": large_values(target_bytes),
    });
    serde_json::to_vec_pretty(&body).unwrap_or_default()
}
