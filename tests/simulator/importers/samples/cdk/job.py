"""The Glue job script the CDK app ships as an asset (its content does not matter to gluesim)."""
