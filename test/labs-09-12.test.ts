import { proveLabs } from './helpers/labs-suite.js';

await proveLabs(['09', '10', '11', '12']);
