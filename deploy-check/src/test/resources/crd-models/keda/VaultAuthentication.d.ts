/**
 * VaultAuthentication contains the list of Hashicorp Vault authentication methods
 */
export type IVaultAuthentication = string;
export type VaultAuthentication = IVaultAuthentication;
export type { IVaultAuthentication as IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultAuthentication, VaultAuthentication as ComGithubKedacoreKedaV2ApisKedaV1alpha1VaultAuthentication };
