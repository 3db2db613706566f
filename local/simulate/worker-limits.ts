/**
 * Resource limits of the simulation's worker threads. A large young generation: the handlers make many
 * short-lived objects, and the default one promotes them to the old generation (measured: about 15% of the
 * run spent collecting them again). The bench gives the bare engine's threads the same.
 */
export const SIMULATION_WORKER_LIMITS = { maxYoungGenerationSizeMb: 192, maxOldGenerationSizeMb: 8192 };
