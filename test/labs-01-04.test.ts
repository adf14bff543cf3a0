import { proveLabs } from './helpers/labs-suite.js';

await proveLabs(['01', '02', '03', '04']);
