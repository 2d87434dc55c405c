import type { ViteUserConfig } from 'vitest/config';

type TestSettings = NonNullable<ViteUserConfig['test']>;

/** The settings every package's tests share. */
export declare const baseTest: Readonly<TestSettings>;
/** The base configuration, with a package's own `test` settings replacing the base's ones. */
export declare function packageConfig(overrides?: ViteUserConfig): ViteUserConfig;
/** The base configuration as it is. */
export declare const baseConfig: ViteUserConfig;
/** A global set-up that builds the package's `dist/` before its tests start its processes. */
export declare const buildPackageFirst: string;
