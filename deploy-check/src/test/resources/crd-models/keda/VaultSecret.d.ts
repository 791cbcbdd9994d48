import { IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultPkiData } from "./VaultPkiData.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecretType } from "./VaultSecretType.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * VaultSecret defines the mapping between the path of the secret in Vault to the parameter
 */
export interface IVaultSecret {
    "key": string;
    "parameter": string;
    "path": string;
    "pkiData"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultPkiData;
    "type"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecretType;
}
/**
 * VaultSecret defines the mapping between the path of the secret in Vault to the parameter
 */
export declare class VaultSecret extends Model<IVaultSecret> implements IVaultSecret {
    "key": string;
    "parameter": string;
    "path": string;
    "pkiData"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultPkiData;
    "type"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecretType;
    constructor(data?: ModelData<IVaultSecret>);
}
export type { IVaultSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecret, VaultSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecret };
