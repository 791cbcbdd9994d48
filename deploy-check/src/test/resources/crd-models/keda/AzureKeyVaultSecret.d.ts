import { ModelData, Model } from "@kubernetes-models/base";
export interface IAzureKeyVaultSecret {
    "name": string;
    "parameter": string;
    "version"?: string;
}
export declare class AzureKeyVaultSecret extends Model<IAzureKeyVaultSecret> implements IAzureKeyVaultSecret {
    "name": string;
    "parameter": string;
    "version"?: string;
    constructor(data?: ModelData<IAzureKeyVaultSecret>);
}
export type { IAzureKeyVaultSecret as IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultSecret, AzureKeyVaultSecret as ComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultSecret };
