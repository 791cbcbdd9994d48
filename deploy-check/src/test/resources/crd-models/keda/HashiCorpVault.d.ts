import { IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultAuthentication } from "./VaultAuthentication.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1Credential } from "./Credential.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecret } from "./VaultSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * HashiCorpVault is used to authenticate using Hashicorp Vault
 */
export interface IHashiCorpVault {
    "address": string;
    "authentication": IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultAuthentication;
    "credential"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Credential;
    "mount"?: string;
    "namespace"?: string;
    "role"?: string;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecret>;
}
/**
 * HashiCorpVault is used to authenticate using Hashicorp Vault
 */
export declare class HashiCorpVault extends Model<IHashiCorpVault> implements IHashiCorpVault {
    "address": string;
    "authentication": IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultAuthentication;
    "credential"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1Credential;
    "mount"?: string;
    "namespace"?: string;
    "role"?: string;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1VaultSecret>;
    constructor(data?: ModelData<IHashiCorpVault>);
}
export type { IHashiCorpVault as IComGithubKedacoreKedaV2ApisKedaV1alpha1HashiCorpVault, HashiCorpVault as ComGithubKedacoreKedaV2ApisKedaV1alpha1HashiCorpVault };
