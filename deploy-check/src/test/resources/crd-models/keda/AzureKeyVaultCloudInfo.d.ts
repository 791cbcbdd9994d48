import { ModelData, Model } from "@kubernetes-models/base";
export interface IAzureKeyVaultCloudInfo {
    "activeDirectoryEndpoint"?: string;
    "keyVaultResourceURL"?: string;
    "type": string;
}
export declare class AzureKeyVaultCloudInfo extends Model<IAzureKeyVaultCloudInfo> implements IAzureKeyVaultCloudInfo {
    "activeDirectoryEndpoint"?: string;
    "keyVaultResourceURL"?: string;
    "type": string;
    constructor(data?: ModelData<IAzureKeyVaultCloudInfo>);
}
export type { IAzureKeyVaultCloudInfo as IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCloudInfo, AzureKeyVaultCloudInfo as ComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCloudInfo };
