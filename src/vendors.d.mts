// Types of vendors.mjs (plain JavaScript so that node scripts read it without a build).

/** One row of the vendor table; vendors.mjs says what each field drives. */
export interface Vendor {
  readonly id: string;
  readonly adapter: string;
  readonly name: string;
  readonly tag: boolean;
  readonly demo: boolean;
  readonly bridges?: readonly string[];
  readonly marker: string;
}

export declare const VENDORS: readonly Vendor[];
export declare const TAG_VENDORS: readonly Vendor[];
export declare const SCRIPT_TAG_FILES: readonly {
  readonly name: string;
  readonly file: string;
  readonly vendors: readonly Vendor[];
}[];
