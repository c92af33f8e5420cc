// Node's type stripping runs .ts files but resolves imports literally. bench/ imports its own and test/support's .ts
// files by their .js names, as the TypeScript sources do (so tsc type-checks them): this hook tries the .ts file when a
// relative .js import does not exist. Loaded first with `node --import ./bench/support/resolve-ts.ts`.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!/^\.\.?\//.test(specifier) || !specifier.endsWith('.js')) throw error;
      return nextResolve(`${specifier.slice(0, -'.js'.length)}.ts`, context);
    }
  },
});
