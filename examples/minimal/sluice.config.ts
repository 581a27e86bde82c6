import { defineConfig } from '@sluice/sdk';

export default defineConfig({ target: 'github' });
