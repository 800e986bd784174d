// Dev-only: times @cloud-copilot/iam-simulate on the workload bench/oneshot_bench.py writes.
// Usage: node oneshot.mjs WORKLOAD.json [REPEAT]  -> prints one JSON line on stdout.
// Policies arrive as JSON text (as boto3 passes them) and are parsed inside the timed loop.
import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const WORDS = { Allowed: 'allowed', ExplicitlyDenied: 'explicitDeny', ImplicitlyDenied: 'implicitDeny' }

function simulation(item) {
  const named = (texts, prefix) => texts.map((text, i) => ({ name: `${prefix}${i + 1}`, policy: JSON.parse(text) }))
  const levels = (list, prefix) => (list || []).map((level, n) => ({ orgIdentifier: `${prefix}${n + 1}`, policies: named(level, `${prefix}${n + 1}.`) }))
  const sim = {
    request: {
      principal: item.caller,
      action: item.action,
      resource: { resource: item.resource, accountId: item.resourceAccount },
      contextVariables: item.context,
    },
    identityPolicies: named(item.identity, 'PolicyInputList.'),
    serviceControlPolicies: levels(item.scps, 'scp'),
    resourceControlPolicies: [],
  }
  if (item.resourcePolicy) sim.resourcePolicy = JSON.parse(item.resourcePolicy)
  if (item.boundary) sim.permissionBoundaryPolicies = named(item.boundary, 'boundary.')
  return sim
}

async function run(items) {
  const decisions = []
  let errors = 0
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  for (const item of items) {
    const response = await runSimulation(simulation(item), {})
    if (response.resultType === 'error') {
      errors += 1
      decisions.push('error')
    } else {
      decisions.push(WORDS[response.overallResult] || response.overallResult)
    }
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  return { wall, cpu: (used.user + used.system) / 1e6, errors, decisions }
}

const items = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const repeat = Number(process.argv[3] || 3)
let best = null
for (let i = 0; i < repeat; i++) {
  const result = await run(items)
  if (best === null || result.cpu < best.cpu) best = result
}
console.log(JSON.stringify({ requests: items.length, ...best }))
