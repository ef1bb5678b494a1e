// A small NetworkPolicy evaluator (the semantics of networking.k8s.io/v1): which endpoint may open a connection
// to which endpoint on which port, given the rendered policies.

export function matchesSelector(selector, labels) {
  if (selector == null) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function ipToInt(ip) {
  return ip.split(".").reduce((n, part) => (n << 8n) + BigInt(part), 0n);
}

function inCidr(ip, cidr) {
  const [base, bits] = cidr.split("/");
  const shift = 32n - BigInt(bits);
  return ipToInt(ip) >> shift === ipToInt(base) >> shift;
}

/** Whether a peer (one entry of from/to) matches an endpoint, for policies in `policyNamespace`. */
function peerMatches(peer, endpoint, policyNamespace) {
  if (peer.ipBlock) {
    if (!endpoint.ip) return false;
    return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(endpoint.ip, c));
  }
  if (!endpoint.namespace) return false;
  const namespaceOk = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, endpoint.namespaceLabels)
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, endpoint.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(ports, port, protocol) {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? "TCP") === protocol && (p.port === undefined || p.port === port));
}

function allowedBy(policies, endpoint, direction, peer, port, protocol) {
  const type = direction === "ingress" ? "Ingress" : "Egress";
  const selecting = policies.filter(
    (p) => p.metadata.namespace === endpoint.namespace && matchesSelector(p.spec.podSelector, endpoint.labels) &&
      (p.spec.policyTypes ?? ["Ingress"]).includes(type),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    (p.spec[direction] ?? []).some((rule) => {
      const peers = rule[direction === "ingress" ? "from" : "to"];
      const peerOk = !peers || peers.length === 0 || peers.some((x) => peerMatches(x, peer, p.metadata.namespace));
      return peerOk && portMatches(rule.ports, port, protocol);
    }),
  );
}

/**
 * Every allowed connection "source -> destination:port/protocol" among the endpoints. An endpoint in the
 * release (release: true) is policed by the policies; others (another namespace's pods, IP addresses) are not,
 * and connections between two outside endpoints are not listed.
 */
export function allowedFlows(policies, endpoints, ports) {
  const flows = [];
  for (const from of endpoints) {
    for (const to of endpoints) {
      if (from === to || (!from.release && !to.release)) continue;
      for (const [port, protocol] of ports) {
        const egress = !from.release || allowedBy(policies, from, "egress", to, port, protocol);
        const ingress = !to.release || allowedBy(policies, to, "ingress", from, port, protocol);
        if (egress && ingress) flows.push(`${from.name} -> ${to.name}:${port}/${protocol}`);
      }
    }
  }
  return flows.sort();
}
