/** The demo's X-Fault choices for the next attempt (docs/protocol.md section 8). */
export const faultChoices = [
  { value: "", label: "None", hint: "a normal request" },
  { value: "lose-response", label: "Lose the response", hint: "the server commits, then answers 504" },
  { value: "delay:3000", label: "Slow server", hint: "3 s before the server starts" },
  {
    value: "provider-timeout-after-charge",
    label: "Provider timeout after charge",
    hint: "card charged, provider answer lost: 503",
  },
  { value: "crash-after-charge", label: "Crash after charge", hint: "the attempt dies holding its lease: 502" },
  { value: "db-busy", label: "Database busy", hint: "a transient 503" },
] as const;
