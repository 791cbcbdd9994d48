/**
 * VaultSecretType defines the type of vault secret
 */
export type IVaultSecretType = string;
export type VaultSecretType = IVaultSecretType;
export type { IVaultSecretType as IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecretType, VaultSecretType as ComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecretType };
