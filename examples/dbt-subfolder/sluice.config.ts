import { defineConfig } from '@sluice/sdk';

// The dbt project lives in transform/ (beside other code in the repository); requirements.txt stays
// at the root, where the pip cache key points.
export default defineConfig({ target: 'github', dbtProjectDir: 'transform' });
