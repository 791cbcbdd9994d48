import { ModelData, Model } from "@kubernetes-models/base";
/**
 * Credential defines the Hashicorp Vault credentials depending on the authentication method
 */
export interface ICredential {
    "serviceAccount"?: string;
    "serviceAccountName"?: string;
    "token"?: string;
}
/**
 * Credential defines the Hashicorp Vault credentials depending on the authentication method
 */
export declare class Credential extends Model<ICredential> implements ICredential {
    "serviceAccount"?: string;
    "serviceAccountName"?: string;
    "token"?: string;
    constructor(data?: ModelData<ICredential>);
}
export type { ICredential as IComGithubKedacoreKedaV2ApisKedaV1alpha1Credential, Credential as ComGithubKedacoreKedaV2ApisKedaV1alpha1Credential };
