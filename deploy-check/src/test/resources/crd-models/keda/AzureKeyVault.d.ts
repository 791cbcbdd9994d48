import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCloudInfo } from "./AzureKeyVaultCloudInfo.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCredentials } from "./AzureKeyVaultCredentials.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity } from "./AuthPodIdentity.js";
import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultSecret } from "./AzureKeyVaultSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
/**
 * AzureKeyVault is used to authenticate using Azure Key Vault
 */
export interface IAzureKeyVault {
    "cloud"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCloudInfo;
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultSecret>;
    "vaultUri": string;
}
/**
 * AzureKeyVault is used to authenticate using Azure Key Vault
 */
export declare class AzureKeyVault extends Model<IAzureKeyVault> implements IAzureKeyVault {
    "cloud"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCloudInfo;
    "credentials"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCredentials;
    "podIdentity"?: IComGithubKedacoreKedaV2ApisKedaV1alpha1AuthPodIdentity;
    "secrets": Array<IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultSecret>;
    "vaultUri": string;
    constructor(data?: ModelData<IAzureKeyVault>);
}
export type { IAzureKeyVault as IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVault, AzureKeyVault as ComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVault };
