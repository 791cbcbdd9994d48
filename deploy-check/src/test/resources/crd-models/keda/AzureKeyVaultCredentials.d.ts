import { IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultClientSecret } from "./AzureKeyVaultClientSecret.js";
import { ModelData, Model } from "@kubernetes-models/base";
export interface IAzureKeyVaultCredentials {
    "clientId": string;
    "clientSecret": IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultClientSecret;
    "tenantId": string;
}
export declare class AzureKeyVaultCredentials extends Model<IAzureKeyVaultCredentials> implements IAzureKeyVaultCredentials {
    "clientId": string;
    "clientSecret": IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultClientSecret;
    "tenantId": string;
    constructor(data?: ModelData<IAzureKeyVaultCredentials>);
}
export type { IAzureKeyVaultCredentials as IComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCredentials, AzureKeyVaultCredentials as ComGithubKedacoreKedaV2ApisKedaV1alpha1AzureKeyVaultCredentials };
