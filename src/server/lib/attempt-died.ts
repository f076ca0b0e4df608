/**
 * Stops an attempt as if its process had been killed at this point: nothing after it runs and nothing is
 * cleaned up, so leases stay held until they expire. Production code never throws it; fault injection
 * (the demo's simulated crash, tests) does, and the engine and the job worker let it pass untouched.
 */
export class AttemptDied extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AttemptDied";
  }
}
